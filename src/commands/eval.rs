//! `changes eval [--last N] [--models a,b]`: replays the newest N commits of the current
//! branch (its first-parent line, with the commits each merge brought in), each described
//! from its own parent with only the history before it (the profile is learned from that
//! parent's own history, the rule files are read from its parent's tree), and scores every model's draft against what the author wrote: type, scope, style,
//! subject similarity, time, requests and tokens. Bots' commits are scored apart.
//!
//! A draft that fails (an error from the server, a refused key, the deadline) is not a miss:
//! the shares are over the drafts each model wrote, and the failures are counted beside them,
//! with the first error said once per model, so that a model that could not be measured never
//! reads as one that had nothing to do. A model whose key is refused or whose model id does
//! not exist is not asked again: its later drafts count as failed, unsent.
//!
//! Network models cost money: before the first request, the run says how many requests and
//! about how many input tokens the replay will send, and goes ahead only with `--yes`, or
//! when someone at a terminal says yes.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::answer::{FailureKind, Message, ModelError};
use crate::cli::EvalArgs;
use crate::commands::Context;
use crate::conventions::index::{History, Index};
use crate::conventions::subject::{self, Style, Subject};
use crate::conventions::{rules, Conventions};
use crate::engine::{self, cache::Cache, is_offline};
use crate::error::{Error, Kind};
use crate::git::{Repository, Source};
use crate::llm::Spent;
use crate::ui::ProgressLine;

/// Runs `changes eval`.
pub(crate) fn cmd_eval(context: &Context, args: &EvalArgs) -> Result<(), Error> {
    let repository = Repository::discover()?;
    let loaded = context.load_config(Some(&repository))?;
    let settings = &loaded.settings;
    let options = super::hook::collect_options(&repository, settings)?;
    let head = repository
        .head_id()
        .ok_or_else(|| Error::new(Kind::Usage, "there is no commit to replay yet"))?;

    let requested: Vec<String> =
        if context.models.is_empty() { Vec::new() } else { context.models.clone() };
    let selection = engine::selection(settings, &requested, &context.environment)?;
    let names: Vec<String> = selection.models.iter().map(|model| model.name.to_string()).collect();
    let network: Vec<&crate::config::ModelSettings> =
        selection.models.iter().filter(|model| !is_offline(model)).collect();

    let line = ProgressLine::new();
    let history_limit = settings.conventions.history;
    let mut index = Index::open(&repository.common_dir());
    let walk = index.history(
        &repository,
        &head,
        args.last + history_limit,
        &options,
        &|done, total| {
            line.update(&format!("changes: indexing history {done}/{total}"));
        },
    )?;
    line.finish();
    if let Some(warning) = index.warning.take() {
        context.printer.warn(&warning);
    }
    let replayed = args.last.min(walk.commits.len());
    if !network.is_empty() {
        let estimate = Estimate::of(&repository, &walk.commits[..replayed], &options, &network);
        consent(context, args, &estimate)?;
    }
    let mut scores: Vec<ModelScores> = names
        .iter()
        .map(|name| ModelScores { model: name.clone(), ..ModelScores::default() })
        .collect();
    let mut commits = Vec::with_capacity(replayed);
    let cache = Some(Cache::in_git_dir(&repository.common_dir()));
    for position in 0..replayed {
        line.update(&format!("changes: eval {}/{replayed}", position + 1));
        let target = &walk.commits[position];
        let parent = target.parent.clone();
        // The parent's own history: a commit brought in by a merge forked from an older
        // state of the branch than the commits listed after it.
        let before = match parent.as_deref() {
            // A parent past the edge of a shallow clone has no history to read.
            Some(parent) => index
                .history(&repository, parent, history_limit, &options, &|_, _| {})
                .unwrap_or_default(),
            None => History::default(),
        };
        let read = |path: &str| {
            parent.as_deref().and_then(|parent| {
                repository
                    .small_file_at(parent, path, crate::commands::MAX_RULE_FILE_BYTES)
                    .ok()
                    .flatten()
            })
        };
        let rules = rules::read(&read, settings.conventions.guide.as_deref());
        let mut conventions = Conventions::from_history(before, rules, Vec::new());
        conventions.author = target.shape.as_ref().and_then(|shape| shape.author.clone());
        let conventions = Arc::new(conventions);
        let mut changes = repository.commit(&target.id, &options)?;
        if changes.is_empty() {
            continue;
        }
        // Described as if staged: the commit's own subject must not reach the models.
        changes.source = Source::Staged;
        // A model whose key was refused or whose id does not exist would fail every draft
        // the same way: it is not asked again.
        let asked: Vec<String> = scores
            .iter()
            .filter(|score| score.stopped.is_none())
            .map(|score| score.model.clone())
            .collect();
        let drafts = if asked.is_empty() {
            None
        } else {
            let engine_options = engine::Options {
                settings,
                environment: &context.environment,
                requested: &asked,
                cache: cache.as_ref().map(|_| Cache::in_git_dir(&repository.common_dir())),
                timeout: settings.commit.timeout,
                progress: None,
                speeds: None,
                // `conventions.enabled: false` measures today's rules alone, the baseline.
                conventions: settings.conventions.enabled.then(|| Arc::clone(&conventions)),
            };
            Some(engine::draft_commit(&changes, engine_options)?)
        };
        let answers = drafts.as_ref().map_or(&[][..], |drafts| drafts.run.answers.as_slice());
        if let Some(drafts) = &drafts {
            for (spent, answer) in drafts.run.spent.iter().zip(answers) {
                if let Some(score) =
                    scores.iter_mut().find(|score| score.model == answer.model.to_string())
                {
                    score.spent = score.spent.plus(*spent);
                }
            }
        }
        let human = subject::parse(&target.subject);
        let read_style = |parsed: &Subject| match conventions.profile.as_ref() {
            Some(profile) => profile.style_of(parsed),
            None => parsed.style,
        };
        let human_style = read_style(&human);
        let mut drafted = Vec::new();
        for score in &mut scores {
            let answer = answers.iter().find(|answer| answer.model.to_string() == score.model);
            let outcome = match (answer, &score.stopped) {
                (Some(answer), _) => answer.outcome.as_ref().map_err(|error| {
                    let failure = FailureRecord::of(&target.id, error);
                    if matches!(
                        error.kind,
                        FailureKind::Unauthorized
                            | FailureKind::ModelNotFound
                            | FailureKind::Configuration
                    ) {
                        score.stopped = Some(failure.clone());
                    }
                    failure
                }),
                (None, Some(stopped)) => Err(FailureRecord {
                    commit: target.id.clone(),
                    kind: stopped.kind,
                    message: format!(
                        "not asked: the first draft failed with {} ({})",
                        kind_name(stopped.kind),
                        stopped.message
                    ),
                }),
                // Every model not stopped was asked and answered (or failed).
                (None, None) => Err(FailureRecord {
                    commit: target.id.clone(),
                    kind: FailureKind::Internal,
                    message: "no answer came back".to_string(),
                }),
            };
            let group = if target.bot { &mut score.bots } else { &mut score.humans };
            let message = match outcome {
                Ok(message) => message,
                Err(failure) => {
                    group.failures += 1;
                    score.failed(&failure);
                    drafted.push(DraftRecord {
                        model: score.model.clone(),
                        subject: None,
                        error: Some(failure),
                    });
                    continue;
                }
            };
            let draft = subject::parse(&message.subject);
            let mark = Marks::of(
                &human,
                human_style,
                &draft,
                read_style(&draft),
                &target.subject,
                message,
            );
            group.add(&mark, answer.map_or(Duration::ZERO, |answer| answer.duration));
            drafted.push(DraftRecord {
                model: score.model.clone(),
                subject: Some(message.subject.clone()),
                error: None,
            });
        }
        commits.push(CommitRecord {
            id: target.id.clone(),
            subject: target.subject.clone(),
            bot: target.bot,
            style: human_style.as_str(),
            drafts: drafted,
        });
    }
    line.finish();

    let report = Report {
        commits: commits.len(),
        models: scores.iter().map(ModelReport::of).collect(),
        replayed: commits,
    };
    // The table says it; a JSON run read by a program tells its user on stderr.
    let json = context.format == crate::cli::Format::Json;
    for model in report.models.iter().filter(|model| json && model.all.commits == 0) {
        if let Some(failure) = &model.first_failure {
            context.printer.warn(&format!(
                "{}: every draft failed ({}), nothing was measured: {}",
                model.model, model.all.failures, failure.message
            ));
        }
    }
    if json {
        context.printer.data(&crate::report::output::to_json(&report))?;
    } else {
        context.printer.data(&render_table(&report))?;
    }
    Ok(())
}

/// What replaying the commits will send to network models, said before anything is sent.
struct Estimate {
    commits: usize,
    /// Per network model: its name and about how many input tokens it will be sent.
    models: Vec<(String, u64)>,
}

/// Bytes per token, roughly, for source and prose.
const BYTES_PER_TOKEN: u64 = 4;
/// Tokens of instructions and conventions that go with every draft request.
const INSTRUCTION_TOKENS: u64 = 1_000;

impl Estimate {
    /// One request per commit and model at least; each sends the commit's patches (about
    /// four bytes a token) and the instructions, up to the model's context.
    fn of(
        repository: &Repository,
        commits: &[Arc<crate::conventions::index::Record>],
        options: &crate::git::CollectOptions,
        network: &[&crate::config::ModelSettings],
    ) -> Estimate {
        let sizes: Vec<u64> = commits
            .iter()
            .map(|commit| {
                repository.commit(&commit.id, options).map_or(0, |changes| {
                    changes
                        .sent()
                        .filter_map(|file| file.patch.as_ref())
                        .map(|patch| patch.len() as u64)
                        .sum::<u64>()
                        / BYTES_PER_TOKEN
                })
            })
            .collect();
        let models = network
            .iter()
            .map(|model| {
                let context = model.context_tokens as u64;
                let tokens =
                    sizes.iter().map(|size| (size + INSTRUCTION_TOKENS).min(context.max(1))).sum();
                (model.name.to_string(), tokens)
            })
            .collect();
        Estimate { commits: commits.len(), models }
    }

    fn describe(&self) -> String {
        let models: Vec<String> = self
            .models
            .iter()
            .map(|(name, tokens)| {
                format!(
                    "{name}: at least {} requests, about {} input tokens",
                    self.commits,
                    thousands(*tokens)
                )
            })
            .collect();
        format!(
            "replaying {} commits asks network models, which costs money ({})",
            self.commits,
            models.join("; ")
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut text = String::new();
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// Goes ahead with network models only with `--yes`, or when someone at a terminal answers
/// yes; without a terminal, says what the run would spend and stops.
fn consent(context: &Context, args: &EvalArgs, estimate: &Estimate) -> Result<(), Error> {
    let said = estimate.describe();
    if args.yes {
        context.printer.info(&format!("changes: {said}"));
        return Ok(());
    }
    let refused = || {
        Error::new(Kind::Usage, said.clone())
            .with_hint("add --yes to go ahead, or --models local for the built-in model alone")
    };
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(refused());
    }
    let mut stderr = std::io::stderr();
    // A failed prompt is a refusal: nothing is sent without an answer.
    if write!(stderr, "changes: {said}. Go ahead? [y/N] ").and_then(|()| stderr.flush()).is_err() {
        return Err(refused());
    }
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Err(refused());
    }
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Error::new(Kind::Usage, "nothing was replayed and nothing was sent")),
    }
}

/// How one draft compares with the author's subject.
struct Marks {
    /// `Some(hit)` when the author wrote a type.
    commit_type: Option<bool>,
    /// `Some(hit)` when the author wrote a scope or component.
    scope: Option<bool>,
    style: bool,
    similarity: f64,
}

impl Marks {
    fn of(
        human: &Subject,
        human_style: Style,
        draft: &Subject,
        draft_style: Style,
        human_text: &str,
        message: &Message,
    ) -> Marks {
        let same = |left: Option<&str>, right: Option<&str>| {
            left.map(str::to_lowercase) == right.map(str::to_lowercase)
        };
        let commit_type = (human_style == Style::Conventional)
            .then(|| human.commit_type())
            .flatten()
            .map(|human_type| {
                draft_style == Style::Conventional && same(Some(human_type), draft.commit_type())
            });
        let scope = match human_style {
            Style::Conventional => human.scope.as_deref().map(|human_scope| {
                draft_style == Style::Conventional
                    && same(Some(human_scope), draft.scope.as_deref())
            }),
            Style::Component => human.label_in(Style::Component).map(|component| {
                draft_style == Style::Component
                    && same(Some(component), draft.label_in(Style::Component))
            }),
            _ => None,
        };
        Marks {
            commit_type,
            scope,
            style: human_style == draft_style,
            similarity: similarity(human_text, &message.subject),
        }
    }
}

/// Dice coefficient of the character bigrams of two subjects, lower-cased, without
/// pull-request references: 1 for the same text, 0 for nothing in common.
fn similarity(left: &str, right: &str) -> f64 {
    let bigrams = |text: &str| -> Vec<(char, char)> {
        let text = subject::parse(text);
        let full = match &text.prefix {
            Some(prefix) => format!("{prefix} {}", text.summary),
            None => text.summary.clone(),
        };
        let characters: Vec<char> = full.to_lowercase().chars().collect();
        let mut pairs: Vec<(char, char)> =
            characters.windows(2).map(|pair| (pair[0], pair[1])).collect();
        pairs.sort_unstable();
        pairs
    };
    let (left, right) = (bigrams(left), bigrams(right));
    if left.is_empty() && right.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (left.len() + right.len()) as f64
}

/// Sums over a group of commits.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// Drafts the model wrote, which the shares are over.
    commits: usize,
    /// Drafts that failed: not scored, not misses.
    failures: usize,
    type_total: usize,
    type_hits: usize,
    scope_total: usize,
    scope_hits: usize,
    style_hits: usize,
    similarity: f64,
    time: Duration,
}

impl Tally {
    fn add(&mut self, marks: &Marks, time: Duration) {
        self.commits += 1;
        if let Some(hit) = marks.commit_type {
            self.type_total += 1;
            self.type_hits += usize::from(hit);
        }
        if let Some(hit) = marks.scope {
            self.scope_total += 1;
            self.scope_hits += usize::from(hit);
        }
        self.style_hits += usize::from(marks.style);
        self.similarity += marks.similarity;
        self.time += time;
    }

    fn merged(&self, other: &Tally) -> Tally {
        Tally {
            commits: self.commits + other.commits,
            failures: self.failures + other.failures,
            type_total: self.type_total + other.type_total,
            type_hits: self.type_hits + other.type_hits,
            scope_total: self.scope_total + other.scope_total,
            scope_hits: self.scope_hits + other.scope_hits,
            style_hits: self.style_hits + other.style_hits,
            similarity: self.similarity + other.similarity,
            time: self.time + other.time,
        }
    }
}

/// One model's tallies.
#[derive(Debug, Clone, Default)]
struct ModelScores {
    model: String,
    humans: Tally,
    bots: Tally,
    spent: Spent,
    /// The first draft that failed, with its error.
    first_failure: Option<FailureRecord>,
    /// Failed drafts by kind of failure, in the order the kinds first came.
    failure_kinds: Vec<KindCount>,
    /// The failure after which the model is not asked again (a refused key, an unknown
    /// model id, a configuration that cannot work).
    stopped: Option<FailureRecord>,
}

impl ModelScores {
    fn failed(&mut self, failure: &FailureRecord) {
        if self.first_failure.is_none() {
            self.first_failure = Some(failure.clone());
        }
        match self.failure_kinds.iter_mut().find(|counted| counted.kind == failure.kind) {
            Some(counted) => counted.count += 1,
            None => self.failure_kinds.push(KindCount { kind: failure.kind, count: 1 }),
        }
    }
}

/// Why one draft failed.
#[derive(Debug, Clone, Serialize)]
struct FailureRecord {
    /// The commit replayed.
    commit: String,
    /// What kind of failure (`server`, `unauthorized`, `timeout`, ...).
    kind: FailureKind,
    /// The model's error in one line, as the hook would say it.
    message: String,
}

impl FailureRecord {
    fn of(commit: &str, error: &ModelError) -> FailureRecord {
        FailureRecord {
            commit: commit.to_string(),
            kind: error.kind,
            message: crate::text::one_line(&error.message),
        }
    }
}

/// How many drafts failed with one kind of failure.
#[derive(Debug, Clone, Serialize)]
struct KindCount {
    kind: FailureKind,
    count: usize,
}

/// One group's figures as reported. Every share and mean is over the drafts the model
/// wrote (`commits`); drafts that failed are counted in `failures` and in nothing else, so
/// a model that failed half the time is not scored as wrong half the time: read both.
#[derive(Debug, Clone, Serialize)]
struct Figures {
    /// Drafts the model wrote and that were scored.
    commits: usize,
    /// Drafts that failed (no answer, an error, the deadline), not scored.
    failures: usize,
    /// Share of the author's types matched, over the drafted commits that have one.
    type_match: Option<f64>,
    type_commits: usize,
    /// Share of the author's scopes (or components) matched, over the commits that have one.
    scope_match: Option<f64>,
    scope_commits: usize,
    /// Share of drafts in the author's style (conventional, component, gitmoji, plain).
    style_match: Option<f64>,
    /// Mean bigram similarity of the subjects, 0 to 1.
    similarity: Option<f64>,
    /// Mean time per draft written, in milliseconds.
    milliseconds: Option<f64>,
}

impl Figures {
    fn of(tally: &Tally) -> Figures {
        let ratio = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
        Figures {
            commits: tally.commits,
            failures: tally.failures,
            type_match: ratio(tally.type_hits, tally.type_total),
            type_commits: tally.type_total,
            scope_match: ratio(tally.scope_hits, tally.scope_total),
            scope_commits: tally.scope_total,
            style_match: ratio(tally.style_hits, tally.commits),
            similarity: (tally.commits > 0).then(|| tally.similarity / tally.commits as f64),
            milliseconds: (tally.commits > 0)
                .then(|| tally.time.as_secs_f64() * 1000.0 / tally.commits as f64),
        }
    }
}

/// One model's report.
#[derive(Debug, Clone, Serialize)]
struct ModelReport {
    model: String,
    /// Requests that reached the model's server, retries included (0 for the built-in
    /// model), and the tokens the server reported.
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
    /// The first draft that failed and why; `None` when none did.
    first_failure: Option<FailureRecord>,
    /// Failed drafts by kind of failure.
    failure_kinds: Vec<KindCount>,
    all: Figures,
    humans: Figures,
    bots: Figures,
}

impl ModelReport {
    fn of(scores: &ModelScores) -> ModelReport {
        ModelReport {
            model: scores.model.clone(),
            requests: scores.spent.requests,
            input_tokens: scores.spent.input_tokens,
            output_tokens: scores.spent.output_tokens,
            first_failure: scores.first_failure.clone(),
            failure_kinds: scores.failure_kinds.clone(),
            all: Figures::of(&scores.humans.merged(&scores.bots)),
            humans: Figures::of(&scores.humans),
            bots: Figures::of(&scores.bots),
        }
    }
}

/// One model's draft of one commit.
#[derive(Debug, Clone, Serialize)]
struct DraftRecord {
    model: String,
    /// The draft's subject; `None` when the draft failed.
    subject: Option<String>,
    /// Why the draft failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<FailureRecord>,
}

/// One replayed commit.
#[derive(Debug, Clone, Serialize)]
struct CommitRecord {
    id: String,
    subject: String,
    bot: bool,
    style: &'static str,
    drafts: Vec<DraftRecord>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
struct Report {
    commits: usize,
    models: Vec<ModelReport>,
    replayed: Vec<CommitRecord>,
}

fn render_table(report: &Report) -> String {
    let percent = |value: Option<f64>, count: usize| match value {
        Some(value) => format!("{:>5.1}% of {count:<4}", value * 100.0),
        None => format!("{:>14}", "-"),
    };
    let mut text = format!(
        "{} commits replayed, each from its parent with only the history before it.\n",
        report.commits
    );
    text.push_str(
        "Shares and times are over the drafts each model wrote; a draft that failed is\n\
         counted under \"failed\", not as a miss.\n\n",
    );
    text.push_str(&format!(
        "{:<14} {:<7} {:>7} {:>7} {:>14} {:>14} {:>7} {:>10} {:>10}\n",
        "model", "group", "drafts", "failed", "type", "scope", "style", "similarity", "ms/draft"
    ));
    for model in &report.models {
        for (group, figures) in
            [("all", &model.all), ("humans", &model.humans), ("bots", &model.bots)]
        {
            if figures.commits + figures.failures == 0 && group != "all" {
                continue;
            }
            text.push_str(&format!(
                "{:<14} {:<7} {:>7} {:>7} {} {} {:>7} {:>10} {:>10}\n",
                model.model,
                group,
                figures.commits,
                figures.failures,
                percent(figures.type_match, figures.type_commits),
                percent(figures.scope_match, figures.scope_commits),
                figures
                    .style_match
                    .map_or("-".to_string(), |value| format!("{:.1}%", value * 100.0)),
                figures.similarity.map_or("-".to_string(), |value| format!("{value:.2}")),
                figures.milliseconds.map_or("-".to_string(), |value| format!("{value:.1}")),
            ));
        }
    }
    let failed: Vec<String> = report
        .models
        .iter()
        .filter_map(|model| {
            let failure = model.first_failure.as_ref()?;
            let replayed = model.all.commits + model.all.failures;
            let kinds: Vec<String> = model
                .failure_kinds
                .iter()
                .map(|counted| format!("{} {}", kind_name(counted.kind), counted.count))
                .collect();
            let what = if model.all.commits == 0 {
                "every draft failed, nothing was measured".to_string()
            } else {
                format!("{} of {replayed} drafts failed", model.all.failures)
            };
            Some(format!(
                "{}: {what} ({}); the first, on {}: {}",
                model.model,
                kinds.join(", "),
                crate::text::short_id(&failure.commit),
                failure.message
            ))
        })
        .collect();
    if !failed.is_empty() {
        text.push_str("\nFailed drafts:\n");
        for line in failed {
            text.push_str(&format!("  {line}\n"));
        }
    }
    let spent: Vec<String> = report
        .models
        .iter()
        .filter(|model| model.requests > 0)
        .map(|model| {
            format!(
                "{}: {} requests, {} input and {} output tokens",
                model.model,
                thousands(model.requests),
                thousands(model.input_tokens),
                thousands(model.output_tokens)
            )
        })
        .collect();
    if !spent.is_empty() {
        text.push_str(&format!("\nSpent: {}.\n", spent.join("; ")));
    }
    text
}

/// A kind of failure as the table names it (the JSON's names).
fn kind_name(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Unauthorized => "unauthorized",
        FailureKind::ModelNotFound => "model not found",
        FailureKind::TooLong => "too long",
        FailureKind::Limited => "limited",
        FailureKind::Server => "server",
        FailureKind::Rejected => "rejected",
        FailureKind::Timeout => "timeout",
        FailureKind::Connection => "connection",
        FailureKind::BadAnswer => "bad answer",
        FailureKind::Configuration => "configuration",
        FailureKind::Internal => "internal",
    }
}
