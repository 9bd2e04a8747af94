//! The conventions profile: what a repository's own history says about how it writes commit
//! messages, and what it would call a new change.
//!
//! Habits are recency-weighted shares over the newest commits (style, types, case, full
//! stop, bodies, trailers, ticket keys). Predictions come from the learners in `model`: the
//! type from a logistic regression over the newest labelled commits, each weighted by
//! 0.5^(i/200) (repositories change conventions, and the newest habits are the ones that
//! hold); the scope or component from the nearest earlier commits; the style from a
//! regression when the history mixes styles. Below `MIN_LABELLED` labelled commits the
//! rules decide alone.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::cache::{Reader, Writer};
use super::features::{features, signal_features};
use super::index::Record;
use super::model::{Sample, Softmax, Vector, Vocabulary};
use super::shape::{Shape, ShapeBump, ShapeFile};
use super::subject::{self, Style, Subject};

/// Commits a profile learns from at most.
pub(crate) const MAX_TRAINING: usize = 1000;
/// Below this many labelled commits the rules alone do better than what is learned.
pub(crate) const MIN_LABELLED: usize = 20;
/// The half-life of a commit's weight, in commits.
const HALF_LIFE: f32 = 200.0;
/// The half-life of a commit's weight in the type regression. Longer than the habits' one:
/// on eight Conventional Commits repositories (`changes eval --last 200`) 600 matched the
/// type on 79.9% of commits, against 79.2% with 200, 79.8% with 350 and 79.7% with 1,500.
const TYPE_HALF_LIFE: f32 = 600.0;
/// The half-life of a commit's weight in the style regression of a mixed history. Styles
/// change faster than the types a style uses: bat and fd moved from plain sentences to
/// Conventional Commits within a few hundred commits. On their last 200 commits 50 matched
/// the style on 84.5% and 83.4%, against 80.0% and 78.4% with 200 (the habits' half-life).
const STYLE_HALF_LIFE: f32 = 50.0;
/// Neighbours that vote on the style and that a templated summary is looked for among.
const NEIGHBOURS: usize = 10;
/// How much the nearest neighbours' vote counts in a mixed history's style: what a change
/// looks like says less about how its author writes than when they write. 0.25 matched the
/// style of bat's and fd's last 200 commits on 84.5% and 83.4%, against 81.0% and 78.9% with 1.
const NEIGHBOUR_STYLE_WEIGHT: f32 = 0.25;
/// Neighbours that vote on the scope: 6 matched it on 73.0% of commits of the same eight,
/// against 72.3% with 10, 72.9% with 5 and 71.5% with 16.
const SCOPE_NEIGHBOURS: usize = 6;
/// An author's newest commits that vote on the style of their next one.
const AUTHOR_COMMITS: usize = 5;
/// How much the author's own newest commits count in the style, against the regression's
/// probabilities (summing to one) and the neighbours' vote (summing to `NEIGHBOUR_STYLE_WEIGHT`).
const AUTHOR_WEIGHT: f32 = 1.0;
/// Real subjects shown to network models as examples of style.
pub(crate) const MAX_EXAMPLES: usize = 8;

/// Folder (or folder and name below it) → (recency-weighted commits filed under that name,
/// commits that touched it).
type PathRules = HashMap<PathKey, (f32, f32)>;

/// A folder, or a folder and a name below it, as a hash (no string is built per file), and
/// whether the name is part of it.
type PathKey = (u64, bool);

fn path_key(prefix: &str, child: Option<&str>) -> PathKey {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = prefix
        .bytes()
        .chain(child.into_iter().flat_map(|child| std::iter::once(0).chain(child.bytes())));
    for byte in bytes {
        state ^= u64::from(byte);
        state = state.wrapping_mul(0x0100_0000_01b3);
    }
    (state, child.is_some())
}

/// One learned-from commit.
struct Learned {
    record: Arc<Record>,
    subject: Subject,
    /// Style as this repository reads it (a known type in a component repository is still
    /// a component).
    style: Style,
    /// Feature ids: the structural ones (paths, kinds, sizes) first, then the signals of the
    /// content (`features::signal_features`).
    ids: Vec<u32>,
    /// How many of `ids` are structural: only those place a commit among its neighbours,
    /// since the words of a change say what kind of change it is, not where it belongs.
    structural: usize,
    vector: Vector,
    weight: f32,
}

/// What the history says, and the models trained on it.
pub(crate) struct Profile {
    learned: Vec<Learned>,
    /// Prefixes name components more often than types: `docs:` is a component here too.
    component_repository: bool,
    vocabulary: Vocabulary,
    /// The repository's style, by recency-weighted majority.
    pub(crate) style: Style,
    /// Each style's weighted share.
    pub(crate) style_shares: Vec<(Style, f32)>,
    /// Types by weighted share, most used first, with their counts.
    pub(crate) types: Vec<(String, f32, usize)>,
    /// Commits with a Conventional Commits type.
    pub(crate) labelled: usize,
    /// Share of summaries that start with a capital, per style.
    capitalised: BTreeMap<Style, f32>,
    /// Share of subjects that end with a full stop.
    pub(crate) full_stop: f32,
    /// Share of human commits with a body, and of those, with bullets.
    pub(crate) body_share: f32,
    /// Share of bodies written as lists.
    pub(crate) bullet_share: f32,
    /// Trailers by share of commits.
    pub(crate) trailers: Vec<(String, f32)>,
    /// The median subject length in characters.
    pub(crate) median_length: usize,
    /// Share of subjects that carry a ticket key (`ABC-123`).
    pub(crate) ticket_share: f32,
    type_model: Option<(Softmax, Vec<String>)>,
    style_model: Option<(Softmax, Vec<Style>)>,
    /// Per style with prefixes: folder → (commits filed under the name below it, commits
    /// that touched a name below it), recency-weighted.
    path_rules: Vec<(Style, PathRules)>,
}

/// What the profile says about one change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prediction {
    /// The style to write in.
    pub(crate) style: Style,
    /// The type (conventional style), with the model's confidence.
    pub(crate) commit_type: Option<(String, f32)>,
    /// The scope (conventional) or component (component style).
    pub(crate) scope: Option<String>,
    /// Whether the prediction comes from the history (`false`: the rules alone).
    pub(crate) learned: bool,
    /// A summary written the way the nearest similar commit was (a dependency bump, a
    /// release), when there is one.
    pub(crate) templated_summary: Option<String>,
}

static TICKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b").expect("literal pattern compiles")
});

impl Profile {
    /// Learns from `history`, newest first (only the newest `MAX_TRAINING` are read).
    pub(crate) fn build(history: &[Arc<Record>]) -> Profile {
        let usable: Vec<&Arc<Record>> =
            history.iter().filter(|record| record.shape.is_some()).take(MAX_TRAINING).collect();
        let parsed: Vec<Subject> =
            usable.iter().map(|record| subject::parse(&record.subject)).collect();

        // The style first: whether a known type names a type or a component here.
        let mut raw_shares: BTreeMap<Style, f32> = BTreeMap::new();
        for (position, subject) in parsed.iter().enumerate() {
            *raw_shares.entry(subject.style).or_default() += recency(position);
        }
        let component_repository = raw_shares.get(&Style::Component).copied().unwrap_or(0.0)
            > raw_shares.get(&Style::Conventional).copied().unwrap_or(0.0);
        let style_of = |subject: &Subject| match subject.style {
            Style::Conventional if component_repository => Style::Component,
            style => style,
        };

        let mut vocabulary = Vocabulary::default();
        let mut learned: Vec<Learned> = Vec::with_capacity(usable.len());
        let mut all_ids = Vec::with_capacity(usable.len());
        for record in &usable {
            let (mut ids, signals) = match record.shape.as_ref() {
                Some(shape) => (vocabulary.learn(&features(shape)), signal_features(shape)),
                None => (Vec::new(), Vec::new()),
            };
            let structural = ids.len();
            ids.extend(vocabulary.learn(&signals));
            all_ids.push((ids, structural));
        }
        let idf = vocabulary.idf(usable.len());
        for (position, ((record, subject), (ids, structural))) in
            usable.iter().zip(parsed).zip(all_ids).enumerate()
        {
            let vector = Vector::new(ids.get(..structural).unwrap_or_default(), &idf);
            let style = style_of(&subject);
            learned.push(Learned {
                record: Arc::clone(record),
                subject,
                style,
                ids,
                structural,
                vector,
                weight: recency(position),
            });
        }

        let mut profile = Profile {
            learned,
            component_repository,
            vocabulary,
            style: Style::Plain,
            style_shares: Vec::new(),
            types: Vec::new(),
            labelled: 0,
            capitalised: BTreeMap::new(),
            full_stop: 0.0,
            body_share: 0.0,
            bullet_share: 0.0,
            trailers: Vec::new(),
            median_length: 0,
            ticket_share: 0.0,
            type_model: None,
            style_model: None,
            path_rules: Vec::new(),
        };
        profile.learn_habits();
        profile.train();
        profile
    }

    /// Writes what predictions read: per commit its subject as written and taken apart,
    /// its style, bot flag, feature ids and the parts of its shape a prediction looks at
    /// (paths, bumps, versions), then the vocabulary, the habits, the models and the path
    /// rules. Weights, idf and vectors follow from these and are computed again on load.
    pub(crate) fn encode(&self, writer: &mut Writer) {
        writer.len(self.learned.len());
        for entry in &self.learned {
            let record = &entry.record;
            writer.str(&record.subject);
            writer.bool(record.bot);
            let subject = &entry.subject;
            writer.style(subject.style);
            writer.option_str(subject.prefix.as_deref());
            writer.option_str(subject.scope.as_deref());
            writer.bool(subject.breaking);
            writer.str(&subject.summary);
            writer.bool(subject.prefix_capitalised);
            writer.style(entry.style);
            writer.u32s(&entry.ids);
            writer.len(entry.structural);
            let shape = record.shape.as_ref();
            let files = shape.map_or(&[][..], |shape| shape.files.as_slice());
            writer.len(files.len());
            for file in files {
                writer.str(&file.path);
            }
            let bumps = shape.map_or(&[][..], |shape| shape.bumps.as_slice());
            writer.len(bumps.len());
            for bump in bumps {
                writer.str(&bump.name);
                writer.option_str(bump.old.as_deref());
                writer.option_str(bump.new.as_deref());
            }
            writer.len(shape.map_or(0, |shape| shape.bump_count));
            writer.option_str(shape.and_then(|shape| shape.author.as_deref()));
            let version = shape.and_then(|shape| shape.version.as_ref());
            writer.bool(version.is_some());
            if let Some((old, new)) = version {
                writer.str(old);
                writer.str(new);
            }
        }
        writer.bool(self.component_repository);
        self.vocabulary.encode(writer);
        writer.style(self.style);
        writer.len(self.style_shares.len());
        for (style, share) in &self.style_shares {
            writer.style(*style);
            writer.f32(*share);
        }
        writer.len(self.types.len());
        for (name, share, count) in &self.types {
            writer.str(name);
            writer.f32(*share);
            writer.len(*count);
        }
        writer.len(self.labelled);
        writer.len(self.capitalised.len());
        for (style, share) in &self.capitalised {
            writer.style(*style);
            writer.f32(*share);
        }
        for share in [self.full_stop, self.body_share, self.bullet_share, self.ticket_share] {
            writer.f32(share);
        }
        writer.len(self.trailers.len());
        for (key, share) in &self.trailers {
            writer.str(key);
            writer.f32(*share);
        }
        writer.len(self.median_length);
        writer.bool(self.type_model.is_some());
        if let Some((model, classes)) = &self.type_model {
            model.encode(writer);
            writer.len(classes.len());
            for class in classes {
                writer.str(class);
            }
        }
        writer.bool(self.style_model.is_some());
        if let Some((model, styles)) = &self.style_model {
            model.encode(writer);
            writer.len(styles.len());
            for style in styles {
                writer.style(*style);
            }
        }
        writer.len(self.path_rules.len());
        for (style, rules) in &self.path_rules {
            writer.style(*style);
            writer.len(rules.len());
            for ((hash, named), (hit, total)) in rules {
                writer.u64(*hash);
                writer.bool(*named);
                writer.f32(*hit);
                writer.f32(*total);
            }
        }
    }

    /// Reads what `encode` wrote; `None` for bytes it did not write.
    pub(crate) fn decode(reader: &mut Reader<'_>) -> Option<Profile> {
        let count = reader.len(8)?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let subject_line = reader.string()?;
            let bot = reader.bool()?;
            let subject = Subject {
                style: reader.style()?,
                prefix: reader.option_string()?,
                scope: reader.option_string()?,
                breaking: reader.bool()?,
                summary: reader.string()?,
                prefix_capitalised: reader.bool()?,
            };
            let style = reader.style()?;
            let ids = reader.u32s()?;
            let structural = reader.count()?;
            if structural > ids.len() {
                return None;
            }
            let mut shape = Shape::default();
            for _ in 0..reader.len(4)? {
                shape.files.push(ShapeFile {
                    path: reader.string()?,
                    old: None,
                    status: 'M',
                    kind: String::new(),
                    added: 0,
                    removed: 0,
                });
            }
            for _ in 0..reader.len(6)? {
                shape.bumps.push(ShapeBump {
                    name: reader.string()?,
                    old: reader.option_string()?,
                    new: reader.option_string()?,
                });
            }
            shape.bump_count = reader.count()?;
            shape.author = reader.option_string()?;
            if reader.bool()? {
                shape.version = Some((reader.string()?, reader.string()?));
            }
            let record = Record {
                id: String::new(),
                parent: None,
                merge: false,
                time: 0,
                bot,
                subject: subject_line,
                body: subject::Body::default(),
                shape: Some(shape),
                brought: Vec::new(),
            };
            entries.push((Arc::new(record), subject, style, ids, structural));
        }
        let component_repository = reader.bool()?;
        let vocabulary = Vocabulary::decode(reader)?;
        let idf = vocabulary.idf(entries.len());
        let learned = entries
            .into_iter()
            .enumerate()
            .map(|(position, (record, subject, style, ids, structural))| Learned {
                record,
                subject,
                style,
                vector: Vector::new(ids.get(..structural).unwrap_or_default(), &idf),
                ids,
                structural,
                weight: recency(position),
            })
            .collect();
        let style = reader.style()?;
        let mut style_shares = Vec::new();
        for _ in 0..reader.len(5)? {
            style_shares.push((reader.style()?, reader.f32()?));
        }
        let mut types = Vec::new();
        for _ in 0..reader.len(12)? {
            types.push((reader.string()?, reader.f32()?, reader.count()?));
        }
        let labelled = reader.count()?;
        let mut capitalised = BTreeMap::new();
        for _ in 0..reader.len(5)? {
            capitalised.insert(reader.style()?, reader.f32()?);
        }
        let (full_stop, body_share, bullet_share, ticket_share) =
            (reader.f32()?, reader.f32()?, reader.f32()?, reader.f32()?);
        let mut trailers = Vec::new();
        for _ in 0..reader.len(8)? {
            trailers.push((reader.string()?, reader.f32()?));
        }
        let median_length = reader.count()?;
        let type_model = if reader.bool()? {
            let model = Softmax::decode(reader)?;
            let mut classes = Vec::new();
            for _ in 0..reader.len(4)? {
                classes.push(reader.string()?);
            }
            Some((model, classes))
        } else {
            None
        };
        let style_model = if reader.bool()? {
            let model = Softmax::decode(reader)?;
            let mut styles = Vec::new();
            for _ in 0..reader.len(1)? {
                styles.push(reader.style()?);
            }
            Some((model, styles))
        } else {
            None
        };
        let mut path_rules = Vec::new();
        for _ in 0..reader.len(5)? {
            let style = reader.style()?;
            let count = reader.len(17)?;
            let mut rules: PathRules = HashMap::with_capacity(count);
            for _ in 0..count {
                rules.insert((reader.u64()?, reader.bool()?), (reader.f32()?, reader.f32()?));
            }
            path_rules.push((style, rules));
        }
        Some(Profile {
            learned,
            component_repository,
            vocabulary,
            style,
            style_shares,
            types,
            labelled,
            capitalised,
            full_stop,
            body_share,
            bullet_share,
            trailers,
            median_length,
            ticket_share,
            type_model,
            style_model,
            path_rules,
        })
    }

    /// The style of `subject` as this repository reads it.
    pub(crate) fn style_of(&self, subject: &Subject) -> Style {
        match subject.style {
            Style::Conventional if self.component_repository => Style::Component,
            style => style,
        }
    }

    /// Commits learned from.
    pub(crate) fn commits(&self) -> usize {
        self.learned.len()
    }

    fn learn_habits(&mut self) {
        let mut styles: BTreeMap<Style, f32> = BTreeMap::new();
        let mut types: BTreeMap<String, (f32, usize)> = BTreeMap::new();
        let mut capital: BTreeMap<Style, (f32, f32)> = BTreeMap::new();
        let (mut total, mut stops, mut tickets) = (0.0f32, 0.0f32, 0.0f32);
        let (mut human, mut bodies, mut bullets) = (0.0f32, 0.0f32, 0.0f32);
        let mut trailers: BTreeMap<String, f32> = BTreeMap::new();
        let mut lengths: Vec<usize> = Vec::new();
        for entry in &self.learned {
            let weight = entry.weight;
            total += weight;
            *styles.entry(entry.style).or_default() += weight;
            if let Some(commit_type) = entry.subject.commit_type() {
                if entry.style == Style::Conventional {
                    let slot = types.entry(commit_type.to_string()).or_default();
                    slot.0 += weight;
                    slot.1 += 1;
                    self.labelled += 1;
                }
            }
            if let Some(capitalised) = entry.subject.capitalised() {
                let slot = capital.entry(entry.style).or_default();
                slot.1 += weight;
                if capitalised {
                    slot.0 += weight;
                }
            }
            if entry.subject.full_stop() {
                stops += weight;
            }
            if TICKET.is_match(&entry.record.subject) {
                tickets += weight;
            }
            if !entry.record.bot {
                human += weight;
                if entry.record.body.present {
                    bodies += weight;
                    if entry.record.body.bullets {
                        bullets += weight;
                    }
                }
                for trailer in &entry.record.body.trailers {
                    *trailers.entry(trailer.clone()).or_default() += weight;
                }
            }
            lengths.push(entry.record.subject.chars().count());
        }
        let share = |part: f32, whole: f32| if whole > 0.0 { part / whole } else { 0.0 };
        let mut style_shares: Vec<(Style, f32)> =
            styles.into_iter().map(|(style, weight)| (style, share(weight, total))).collect();
        style_shares.sort_by(|left, right| right.1.total_cmp(&left.1));
        self.style = style_shares.first().map_or(Style::Plain, |(style, _)| *style);
        self.style_shares = style_shares;
        let type_total: f32 = types.values().map(|(weight, _)| weight).sum();
        let mut types: Vec<(String, f32, usize)> = types
            .into_iter()
            .map(|(name, (weight, count))| (name, share(weight, type_total), count))
            .collect();
        types.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        self.types = types;
        self.capitalised =
            capital.into_iter().map(|(style, (yes, all))| (style, share(yes, all))).collect();
        self.full_stop = share(stops, total);
        self.ticket_share = share(tickets, total);
        self.body_share = share(bodies, human);
        self.bullet_share = share(bullets, bodies);
        let mut trailers: Vec<(String, f32)> = trailers
            .into_iter()
            .map(|(key, weight)| (key, share(weight, human)))
            .filter(|(_, share)| *share >= 0.05)
            .collect();
        trailers.sort_by(|left, right| right.1.total_cmp(&left.1));
        self.trailers = trailers;
        lengths.sort_unstable();
        self.median_length = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
    }

    /// Trains the path rules and the type model on this thread and, in a mixed history, the
    /// style model on another: they read the same commits and are independent.
    fn train(&mut self) {
        let features = self.vocabulary.len();
        let this = &*self;
        let (path_rules, type_model, style_model) = std::thread::scope(|scope| {
            let style_model = this.mixed().then(|| scope.spawn(|| this.train_style(features)));
            let mut path_rules = Vec::new();
            for style in [Style::Conventional, Style::Component] {
                if this.style_shares.iter().any(|(known, share)| *known == style && *share > 0.05) {
                    path_rules.push((style, this.learn_path_rules(style)));
                }
            }
            let type_model = this.train_type(features);
            // A thread that cannot be joined leaves the style to the majority.
            let style_model = style_model.and_then(|handle| handle.join().ok());
            (path_rules, type_model, style_model)
        });
        self.path_rules = path_rules;
        self.type_model = type_model;
        self.style_model = style_model;
    }

    /// The type regression over the labelled commits, once there are enough of them.
    fn train_type(&self, features: usize) -> Option<(Softmax, Vec<String>)> {
        if self.labelled < MIN_LABELLED {
            return None;
        }
        let classes: Vec<String> = self.types.iter().map(|(name, _, _)| name.clone()).collect();
        let samples: Vec<Sample<'_>> = self
            .learned
            .iter()
            .filter(|entry| entry.style == Style::Conventional)
            .enumerate()
            .filter_map(|(position, entry)| {
                let commit_type = entry.subject.commit_type()?;
                let label = classes.iter().position(|class| class == commit_type)?;
                let weight = 0.5f32.powf(position as f32 / TYPE_HALF_LIFE);
                Some(Sample { features: &entry.ids, label, weight })
            })
            .collect();
        match classes.len() {
            0 => None,
            1 => Some((Softmax::train(&[], features, 1), classes)),
            count => Some((Softmax::train(&samples, features, count), classes)),
        }
    }

    /// Whether the history mixes styles enough for a style model.
    fn mixed(&self) -> bool {
        self.style_shares.first().is_some_and(|(_, share)| *share < 0.9)
            && self.learned.len() >= MIN_LABELLED
    }

    /// A mixed history: which style goes with which kind of change.
    fn train_style(&self, features: usize) -> (Softmax, Vec<Style>) {
        let styles: Vec<Style> = self.style_shares.iter().map(|(style, _)| *style).collect();
        let samples: Vec<Sample<'_>> = self
            .learned
            .iter()
            .enumerate()
            .filter_map(|(position, entry)| {
                let label = styles.iter().position(|style| *style == entry.style)?;
                let weight = 0.5f32.powf(position as f32 / STYLE_HALF_LIFE);
                Some(Sample { features: &entry.ids, label, weight })
            })
            .collect();
        (Softmax::train(&samples, features, styles.len()), styles)
    }

    /// How this repository writes ticket keys in subjects, when it does.
    pub(crate) fn ticket_habit(&self) -> Option<super::ticket::Habit> {
        super::ticket::habit(
            self.learned.iter().map(|entry| (entry.record.subject.as_str(), entry.weight)),
        )
    }

    /// The share of summaries in `style` that start with a capital, when there are any.
    pub(crate) fn capital_share(&self, style: Style) -> Option<f32> {
        self.capitalised.get(&style).copied()
    }

    /// Whether the summary after the prefix starts with a capital in `style`.
    pub(crate) fn capitalises(&self, style: Style) -> bool {
        self.capitalised.get(&style).copied().unwrap_or(match style {
            Style::Plain => 1.0,
            _ => 0.0,
        }) > 0.5
    }

    /// What this repository would call `shape`.
    pub(crate) fn predict(&self, shape: &Shape) -> Prediction {
        let structural = self.vocabulary.lookup(&features(shape));
        let neighbours = self.neighbours(&structural);
        let mut ids = structural;
        ids.extend(self.vocabulary.lookup(&signal_features(shape)));
        // In a mixed history the regression says which kinds of change get which style, and
        // the nearest commits say what the newest habit is (a bot that switched styles).
        let style = match &self.style_model {
            Some((model, styles)) => {
                let mut scores = model.predict(&ids);
                let votes = self
                    .vote_recent(&neighbours, |entry| Some(Some(entry.style.as_str().to_string())));
                for (label, share) in votes {
                    let position =
                        styles.iter().position(|style| Some(style.as_str()) == label.as_deref());
                    if let Some(slot) = position.and_then(|position| scores.get_mut(position)) {
                        *slot += NEIGHBOUR_STYLE_WEIGHT * share;
                    }
                }
                let author = shape.author.as_deref().map(|author| self.author_styles(author));
                for (style, share) in author.unwrap_or_default() {
                    let position = styles.iter().position(|known| *known == style);
                    if let Some(slot) = position.and_then(|position| scores.get_mut(position)) {
                        *slot += AUTHOR_WEIGHT * share;
                    }
                }
                argmax(&scores)
                    .and_then(|(index, _)| styles.get(index).copied())
                    .unwrap_or(self.style)
            }
            None => self.style,
        };
        let learned = self.labelled >= MIN_LABELLED
            || (style == Style::Component && self.learned.len() >= MIN_LABELLED)
            || (style == Style::Plain && self.learned.len() >= MIN_LABELLED);
        let commit_type = match &self.type_model {
            Some((model, classes)) if classes.len() == 1 => Some((classes[0].clone(), 1.0)),
            Some((model, classes)) => argmax(&model.predict(&ids))
                .and_then(|(index, probability)| Some((classes.get(index)?.clone(), probability))),
            None => None,
        }
        .or_else(|| Some((shape.rule_type.clone(), 0.0)));
        let scope = match style {
            Style::Conventional if self.labelled >= MIN_LABELLED => {
                let votes = self.vote(&neighbours, |entry| {
                    (entry.style == Style::Conventional).then(|| entry.subject.scope.clone())
                });
                choose(votes, self.path_scopes(shape, Style::Conventional))
            }
            Style::Conventional => shape.rule_scope.clone(),
            Style::Component => {
                let votes = self.vote(&neighbours, |entry| {
                    (entry.style == Style::Component)
                        .then(|| entry.subject.label_in(entry.style).map(str::to_string))
                });
                choose(votes, self.path_scopes(shape, Style::Component))
                    .or_else(|| shape.rule_scope.clone())
            }
            Style::Gitmoji | Style::Plain => None,
        };
        let templated_summary = self.template(shape, &neighbours);
        Prediction { style, commit_type, scope, learned, templated_summary }
    }

    /// The styles `author` wrote their newest commits in, as shares, once they wrote at least
    /// two: people write the way they wrote on their own branch yesterday, and a first-time
    /// contributor's earlier commits of the same pull request say more than the rest of the
    /// history. Bots too: their newest commits show how they are configured now (bat's
    /// dependabot went from `Bump x` to `build(deps): bump x`).
    fn author_styles(&self, author: &str) -> Vec<(Style, f32)> {
        let mut votes: Vec<(Style, f32)> = Vec::new();
        let own = self.learned.iter().filter(|entry| {
            entry.record.shape.as_ref().and_then(|shape| shape.author.as_deref()) == Some(author)
        });
        let mut seen = 0;
        for entry in own.take(AUTHOR_COMMITS) {
            seen += 1;
            match votes.iter_mut().find(|(style, _)| *style == entry.style) {
                Some(vote) => vote.1 += 1.0,
                None => votes.push((entry.style, 1.0)),
            }
        }
        if seen < 2 {
            return Vec::new();
        }
        for vote in &mut votes {
            vote.1 /= seen as f32;
        }
        votes
    }

    /// The nearest earlier commits: (similarity, position in `learned`), most similar first.
    fn neighbours(&self, ids: &[u32]) -> Vec<(f32, usize)> {
        let idf = self.vocabulary.idf(self.learned.len());
        let query = Vector::new(ids, &idf);
        let mut dense = vec![0.0f32; self.vocabulary.len()];
        query.spread(&mut dense);
        let mut scored: Vec<(f32, usize)> = self
            .learned
            .iter()
            .enumerate()
            .map(|(position, entry)| (entry.vector.dot_dense(&dense), position))
            .filter(|(similarity, _)| *similarity > 0.0)
            .collect();
        scored.sort_by(|left, right| right.0.total_cmp(&left.0).then(left.1.cmp(&right.1)));
        scored
    }

    /// The labels the nearest neighbours that have one vote for, weighted by similarity²,
    /// as shares of the vote. `label` gives `None` for a neighbour that does not vote,
    /// `Some(None)` for a vote for "no label".
    fn vote(
        &self,
        neighbours: &[(f32, usize)],
        label: impl Fn(&Learned) -> Option<Option<String>>,
    ) -> Vec<(Option<String>, f32)> {
        let mut votes: HashMap<Option<String>, f32> = HashMap::new();
        let mut counted = 0;
        for (similarity, position) in neighbours {
            let entry = &self.learned[*position];
            let Some(vote) = label(entry) else { continue };
            *votes.entry(vote).or_default() += similarity * similarity * (0.5 + 0.5 * entry.weight);
            counted += 1;
            if counted == SCOPE_NEIGHBOURS {
                break;
            }
        }
        let total: f32 = votes.values().sum();
        let mut ranked: Vec<(Option<String>, f32)> = votes
            .into_iter()
            .map(|(label, weight)| (label, if total > 0.0 { weight / total } else { 0.0 }))
            .collect();
        ranked.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        ranked
    }

    /// `vote`, with each neighbour's vote weighted by its recency as well: the newest
    /// similar commits speak for the habit of now.
    fn vote_recent(
        &self,
        neighbours: &[(f32, usize)],
        label: impl Fn(&Learned) -> Option<Option<String>>,
    ) -> Vec<(Option<String>, f32)> {
        let mut votes: HashMap<Option<String>, f32> = HashMap::new();
        for (similarity, position) in neighbours.iter().take(NEIGHBOURS) {
            let entry = &self.learned[*position];
            let Some(vote) = label(entry) else { continue };
            *votes.entry(vote).or_default() += similarity * similarity * entry.weight;
        }
        let total: f32 = votes.values().sum();
        votes
            .into_iter()
            .map(|(label, weight)| (label, if total > 0.0 { weight / total } else { 0.0 }))
            .collect()
    }

    /// Scopes named by the change's own paths, the way earlier commits took their scope from
    /// theirs: when commits under `src/modules` were filed under the name of the file or
    /// folder below it, a change to `src/modules/gcloud.rs` is `gcloud`, even if no earlier
    /// commit was. Each candidate comes with how reliably that folder's rule held.
    fn path_scopes(&self, shape: &Shape, style: Style) -> Vec<(String, f32)> {
        let Some((_, rules)) = self.path_rules.iter().find(|(known, _)| *known == style) else {
            return Vec::new();
        };
        let mut candidates: Vec<(String, f32)> = Vec::new();
        for file in shape.files.iter().take(20) {
            for (prefix, child) in prefixes(&file.path) {
                // How often this very name was the label when touched, else how often
                // the folder's names were.
                let own =
                    rules.get(&path_key(prefix, Some(&child))).filter(|(_, total)| *total >= 1.5);
                let Some((hit, total)) = own.or_else(|| rules.get(&path_key(prefix, None))) else {
                    continue;
                };
                if (*hit < 1.5 && own.is_none()) || *hit == 0.0 {
                    continue;
                }
                let reliability = hit / total;
                match candidates.iter_mut().find(|(known, _)| *known == child) {
                    Some(known) => known.1 = known.1.max(reliability),
                    None => candidates.push((child, reliability)),
                }
            }
        }
        candidates
    }

    /// For each folder, how often (recency-weighted) commits in `style` that touched a name
    /// below it were filed under that name, and how many touched one at all.
    fn learn_path_rules(&self, style: Style) -> PathRules {
        let mut rules: PathRules = HashMap::new();
        for entry in self.learned.iter().filter(|entry| entry.style == style) {
            let Some(touched) = &entry.record.shape else { continue };
            let label = entry.subject.label_in(entry.style).map(str::to_lowercase);
            // Each key counts once per commit: the folder, and the folder with the name.
            let mut keys: Vec<(PathKey, bool)> = Vec::new();
            for file in touched.files.iter().take(20) {
                for (prefix, child) in prefixes(&file.path) {
                    let hit = label.as_deref() == Some(child.as_str());
                    for key in [path_key(prefix, None), path_key(prefix, Some(&child))] {
                        match keys.iter_mut().find(|(known, _)| *known == key) {
                            Some(known) => known.1 |= hit,
                            None => keys.push((key, hit)),
                        }
                    }
                }
            }
            for (key, hit) in keys {
                let slot = rules.entry(key).or_default();
                slot.1 += entry.weight;
                if hit {
                    slot.0 += entry.weight;
                }
            }
        }
        // A name touched often but never the label keeps its zero, so its folder's rule does
        // not speak for it.
        rules.retain(|key, (hit, total)| *hit > 0.0 || (key.1 && *total >= 1.5));
        rules
    }

    /// A summary in the form of the nearest earlier commit of the same kind: a dependency
    /// bump or a release whose subject names its package and versions, with this change's
    /// names and versions put in.
    fn template(&self, shape: &Shape, neighbours: &[(f32, usize)]) -> Option<String> {
        let slots = Slots::of(shape)?;
        neighbours.iter().take(3 * NEIGHBOURS).find_map(|(_, position)| {
            let entry = &self.learned[*position];
            let earlier = Slots::of(entry.record.shape.as_ref()?)?;
            // A revert names the versions backwards: "Revert \"Bump x from 2 to 1\"".
            let revert = entry.subject.commit_type() == Some("revert")
                || entry.record.subject.trim_start().to_lowercase().starts_with("revert");
            if earlier.kind != slots.kind || revert {
                return None;
            }
            let mut template = entry.subject.summary.clone();
            for (placeholder, value) in &earlier.values {
                if value.chars().count() >= 2 && template.contains(value.as_str()) {
                    template = template.replacen(value.as_str(), &placeholder.to_string(), 1);
                } else if *placeholder == NEW {
                    return None;
                }
            }
            // Versions go old to new; a template that reads the other way would misstate
            // the change.
            if let (Some(old), Some(new)) = (template.find(OLD), template.find(NEW)) {
                if new < old {
                    return None;
                }
            }
            let mut filled = String::with_capacity(template.len());
            for character in template.chars() {
                if [NEW, OLD, NAME].contains(&character) {
                    let (_, value) =
                        slots.values.iter().find(|(placeholder, _)| *placeholder == character)?;
                    filled.push_str(value);
                } else {
                    filled.push(character);
                }
            }
            Some(filled)
        })
    }

    /// The subjects of the earlier commits most like this change, by how many of its files
    /// they touched, then by recency: examples of style for network models.
    pub(crate) fn examples(&self, shape: &Shape) -> Vec<String> {
        let paths: Vec<&str> = shape.files.iter().map(|file| file.path.as_str()).collect();
        let folders: Vec<&str> = paths.iter().map(|path| parent(path)).collect();
        let mut scored: Vec<(usize, usize, usize)> = self
            .learned
            .iter()
            .enumerate()
            .filter(|(_, entry)| !entry.record.bot)
            .filter_map(|(position, entry)| {
                let touched = entry.record.shape.as_ref()?;
                let same_files =
                    touched.files.iter().filter(|file| paths.contains(&file.path.as_str())).count();
                let same_folders = touched
                    .files
                    .iter()
                    .filter(|file| folders.contains(&parent(&file.path)))
                    .count();
                (same_files + same_folders > 0).then_some((same_files, same_folders, position))
            })
            .collect();
        scored.sort_by(|left, right| {
            right.0.cmp(&left.0).then(right.1.min(1).cmp(&left.1.min(1))).then(left.2.cmp(&right.2))
        });
        let mut examples: Vec<String> = Vec::new();
        let recent = self.learned.iter().enumerate().map(|(position, _)| (0, 0, position));
        for (_, _, position) in scored.into_iter().chain(recent) {
            let subject = &self.learned[position].record.subject;
            if !subject.is_empty() && !examples.contains(subject) {
                examples.push(subject.clone());
            }
            if examples.len() == MAX_EXAMPLES {
                break;
            }
        }
        examples
    }

    /// The scope earlier commits used for `path`: the one most used (recent ones weigh
    /// more) by the commits that touched the longest folder prefix of it.
    pub(crate) fn scope_for_path(&self, path: &str) -> Option<String> {
        let mut best: (usize, HashMap<String, f32>) = (0, HashMap::new());
        for entry in &self.learned {
            let Some(label) = entry.subject.label_in(entry.style) else { continue };
            let Some(shape) = &entry.record.shape else { continue };
            let depth =
                shape.files.iter().map(|file| shared_depth(path, &file.path)).max().unwrap_or(0);
            if depth == 0 || depth < best.0 {
                continue;
            }
            if depth > best.0 {
                best = (depth, HashMap::new());
            }
            *best.1.entry(label.to_string()).or_default() += entry.weight;
        }
        let mut ranked: Vec<(String, f32)> = best.1.into_iter().collect();
        ranked.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        ranked.into_iter().next().map(|(label, _)| label)
    }

    /// The scopes (or components) used, most used first.
    pub(crate) fn scopes(&self) -> Vec<(String, f32)> {
        let mut scopes: HashMap<String, f32> = HashMap::new();
        for entry in &self.learned {
            if let Some(label) = entry.subject.label_in(entry.style) {
                *scopes.entry(label.to_string()).or_default() += entry.weight;
            }
        }
        let mut ranked: Vec<(String, f32)> = scopes.into_iter().collect();
        ranked.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
        ranked
    }
}

/// The scope with the highest vote share plus path reliability; `None` (no scope) can win
/// only by the vote.
fn choose(votes: Vec<(Option<String>, f32)>, paths: Vec<(String, f32)>) -> Option<String> {
    let mut scores: Vec<(Option<String>, f32)> = votes;
    for (candidate, reliability) in paths {
        let bonus = PATH_WEIGHT * reliability;
        match scores.iter_mut().find(|(label, _)| label.as_deref() == Some(candidate.as_str())) {
            Some(known) => known.1 += bonus,
            None => scores.push((Some(candidate), bonus)),
        }
    }
    scores.sort_by(|left, right| right.1.total_cmp(&left.1).then(left.0.cmp(&right.0)));
    scores.into_iter().next().and_then(|(label, _)| label)
}

/// How much a path rule that always held counts against the whole neighbours' vote.
const PATH_WEIGHT: f32 = 1.0;

/// Each folder of a path with the name right below it: `src/modules/gcloud.rs` gives
/// (`src`, `modules`) and (`src/modules`, `gcloud`); names are lower-cased stems.
fn prefixes(path: &str) -> impl Iterator<Item = (&str, String)> {
    let mut ends: Vec<usize> = path.match_indices('/').map(|(index, _)| index).collect();
    ends.insert(0, 0);
    ends.into_iter().filter_map(move |end| {
        let prefix = &path[..end];
        let rest = if end == 0 { path } else { &path[end + 1..] };
        let child = rest.split('/').next()?;
        let stem = match child.find('.') {
            Some(position) if position > 0 => &child[..position],
            _ => child,
        };
        (!stem.is_empty()).then(|| (prefix, stem.to_lowercase()))
    })
}

/// Placeholders of a templated summary.
const NEW: char = '\u{1}';
const OLD: char = '\u{2}';
const NAME: char = '\u{3}';

/// The values a templated summary is written with, the new version first.
struct Slots {
    kind: &'static str,
    values: Vec<(char, String)>,
}

impl Slots {
    fn of(shape: &Shape) -> Option<Slots> {
        if let [bump] = shape.bumps.as_slice() {
            if shape.bump_count == 1 && shape.version.is_none() {
                let mut values = vec![(NEW, bump.new.clone()?), (NAME, bump.name.clone())];
                values.extend(bump.old.clone().map(|old| (OLD, old)));
                return Some(Slots { kind: "dependency", values });
            }
        }
        let (old, new) = shape.version.clone()?;
        Some(Slots { kind: "release", values: vec![(NEW, new), (OLD, old)] })
    }
}

/// 0.5^(position / HALF_LIFE).
fn recency(position: usize) -> f32 {
    0.5f32.powf(position as f32 / HALF_LIFE)
}

fn argmax(values: &[f32]) -> Option<(usize, f32)> {
    values.iter().copied().enumerate().fold(None, |best: Option<(usize, f32)>, (index, value)| {
        match best {
            Some((_, highest)) if highest >= value => best,
            _ => Some((index, value)),
        }
    })
}

fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |position| &path[..position])
}

/// How many leading folders two paths share (the whole path counts one more).
fn shared_depth(left: &str, right: &str) -> usize {
    if left == right {
        return left.matches('/').count() + 2;
    }
    left.split('/')
        .zip(right.split('/'))
        .take(left.matches('/').count())
        .take_while(|(a, b)| a == b)
        .count()
}
