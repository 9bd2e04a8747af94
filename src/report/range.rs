//! The date-range report: one markdown file per model (header with the compare link, table
//! of contents, the overview, per-file sections ordered by size of change, each with a
//! permalink) and an overview file with the table of models sorted by duration.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use crate::answer::RangeSummary;
use crate::git::history::PeriodCommit;
use crate::git::{ChangeSet, FileChange};
use crate::text::{count, human_bytes, one_line, short_duration, short_id};

use super::output::ReportModel;

/// A repository's web pages, derived from its remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebRepository {
    /// `https://github.com/owner/name`.
    pub base: String,
    /// Which site, for its URL shapes.
    pub host: Host,
}

/// Sites whose compare and file URLs are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// github.com and GitHub Enterprise (`/compare/a...b`, `/blob/c/path`).
    GitHub,
    /// gitlab.com and self-hosted GitLab (`/-/compare/a...b`, `/-/blob/c/path`).
    GitLab,
    /// bitbucket.org (`/branches/compare/b%0Da`, `/src/c/path`).
    Bitbucket,
}

impl WebRepository {
    /// Reads `git@host:owner/name.git`, `https://[user@]host/owner/name[.git]` and
    /// `ssh://git@host[:port]/owner/name.git`. `None` for local paths and unknown hosts.
    pub(crate) fn from_remote(url: &str) -> Option<Self> {
        let (host, path) = if let Some((_, rest)) = url.split_once("://") {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, rest)| rest);
            let (authority, path) = rest.split_once('/')?;
            (authority.split(':').next()?.to_string(), path.to_string())
        } else {
            let (user_host, path) = url.split_once(':')?;
            if user_host.contains('/') {
                return None;
            }
            (
                user_host.rsplit_once('@').map_or(user_host, |(_, host)| host).to_string(),
                path.to_string(),
            )
        };
        let path = path.trim_end_matches('/').trim_end_matches(".git").to_string();
        if host.is_empty() || path.split('/').filter(|part| !part.is_empty()).count() < 2 {
            return None;
        }
        let kind = if host.contains("gitlab") {
            Host::GitLab
        } else if host.contains("bitbucket") {
            Host::Bitbucket
        } else if host.contains("github") || host.contains("gitea") || host.contains("codeberg") {
            Host::GitHub
        } else {
            return None;
        };
        Some(Self { base: format!("https://{host}/{path}"), host: kind })
    }

    /// The page comparing two commits.
    pub(crate) fn compare(&self, from: &str, to: &str) -> String {
        match self.host {
            Host::GitHub => format!("{}/compare/{from}...{to}", self.base),
            Host::GitLab => format!("{}/-/compare/{from}...{to}", self.base),
            Host::Bitbucket => format!("{}/branches/compare/{to}%0D{from}", self.base),
        }
    }

    /// The page of a file at a commit.
    pub(crate) fn file(&self, commit: &str, path: &str) -> String {
        match self.host {
            Host::GitHub => format!("{}/blob/{commit}/{path}", self.base),
            Host::GitLab => format!("{}/-/blob/{commit}/{path}", self.base),
            Host::Bitbucket => format!("{}/src/{commit}/{path}", self.base),
        }
    }
}

/// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, and `-1`,
/// `-2`… for repeats within one document.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// The anchor of the next heading with this text.
    pub(crate) fn slug(&mut self, heading: &str) -> String {
        let base: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter(|character| character.is_alphanumeric() || matches!(character, ' ' | '-' | '_'))
            .map(|character| if character == ' ' { '-' } else { character })
            .collect();
        let count = self.seen.entry(base.clone()).or_insert(0);
        let slug = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
        *count += 1;
        slug
    }
}

/// What every model's file shares.
#[derive(Debug)]
pub(crate) struct Period<'a> {
    /// The repository's name.
    pub repository: &'a str,
    /// The branch reported on.
    pub branch: &'a str,
    /// `--after` as given, and as resolved.
    pub after: (&'a str, &'a str),
    /// `--before` as given, and as resolved.
    pub before: (&'a str, &'a str),
    /// The commits of the period, newest first.
    pub commits: &'a [PeriodCommit],
    /// The start of the diff (`None`: the empty tree).
    pub base: Option<&'a str>,
    /// The newest commit.
    pub tip: &'a str,
    /// The change.
    pub changes: &'a ChangeSet,
    /// Web pages of the repository, when the remote is on a known host.
    pub web: Option<WebRepository>,
    /// When the report was made.
    pub generated: &'a str,
    /// Each commit's committer date as shown, in the order of `commits`.
    pub dates: Vec<String>,
}

impl Period<'_> {
    /// The files in report order: largest change first, then by path.
    pub(crate) fn files_by_size(&self) -> Vec<(usize, &FileChange)> {
        let mut files: Vec<(usize, &FileChange)> = self.changes.files.iter().enumerate().collect();
        files.sort_by(|(_, left), (_, right)| {
            right
                .changed_lines()
                .cmp(&left.changed_lines())
                .then_with(|| left.path.cmp(&right.path))
        });
        files
    }
}

/// One model's report.
pub(crate) fn render_model(
    period: &Period<'_>,
    model: &str,
    description: &str,
    duration: Duration,
    summary: &RangeSummary,
) -> String {
    let mut slugs = Slugger::default();
    let title =
        format!("Changes in {} from {} to {}", period.repository, period.after.1, period.before.1);
    slugs.slug(&title);
    let mut text = format!("# {title}\n\n");
    let range = format!("{}..{}", period.base.map_or("(root)", short_id), short_id(period.tip));
    let range = match (&period.web, period.base) {
        (Some(web), Some(base)) => format!("[`{range}`]({})", web.compare(base, period.tip)),
        _ => format!("`{range}`"),
    };
    let _ = writeln!(
        text,
        "- Range: {range}, {} on `{}`",
        count(period.commits.len(), "commit"),
        period.branch
    );
    let _ = writeln!(
        text,
        "- Period: {} (`{}`) to {} (`{}`)",
        period.after.1, period.after.0, period.before.1, period.before.0
    );
    let _ = writeln!(text, "- Model: {model} ({description})");
    let _ = writeln!(text, "- Duration: {}", short_duration(duration));
    let _ = writeln!(text, "- Generated: {}\n", period.generated);

    // "Contents" is a heading too: it takes its anchor before the others.
    slugs.slug("Contents");
    let summary_anchor = slugs.slug("Summary");
    let files_anchor = slugs.slug("Files");
    let commits_anchor = slugs.slug("Commits");
    let ordered = period.files_by_size();
    // A file named after a secret is shown, and anchored, by its redacted name: report files
    // get shared and published, and an anchor would keep the secret in lower case.
    let names: Vec<String> = ordered
        .iter()
        .map(|(_, file)| one_line(&crate::privacy::redact_text(&file.path).0))
        .collect();
    let file_anchors: Vec<(usize, String)> =
        ordered.iter().zip(&names).map(|((index, _), name)| (*index, slugs.slug(name))).collect();
    let anchor_of = |index: usize| {
        file_anchors.iter().find(|(known, _)| *known == index).map(|(_, anchor)| anchor.clone())
    };

    let _ = writeln!(text, "## Contents\n");
    let _ = writeln!(text, "- [Summary](#{summary_anchor})");
    let _ = writeln!(text, "- [Files](#{files_anchor})");
    for ((index, file), name) in ordered.iter().zip(&names) {
        if let Some(anchor) = anchor_of(*index) {
            let _ = writeln!(
                text,
                "  - [{name}](#{anchor}) (+{} −{})",
                file.added_lines, file.removed_lines
            );
        }
    }
    let _ = writeln!(text, "- [Commits](#{commits_anchor})\n");

    let _ = writeln!(text, "## Summary\n\n{}\n", link_paths(&summary.overview, period, &anchor_of));
    let _ = writeln!(text, "## Files\n");
    for ((index, file), name) in ordered.iter().zip(&names) {
        let _ = writeln!(text, "### {name}\n");
        let stats = file.header();
        match &period.web {
            Some(web) if file.new_size > 0 || file.status != crate::git::Status::Deleted => {
                let _ = writeln!(text, "[{stats}]({})\n", web.file(period.tip, &file.path));
            }
            _ => {
                let _ = writeln!(text, "{stats}\n");
            }
        }
        let body = match (summary.files.get(*index).cloned().flatten(), &file.exclusion) {
            (Some(summary), _) => summary,
            (None, Some(exclusion)) => format!("Content not sent ({exclusion})."),
            (None, None) => "No summary.".to_string(),
        };
        let _ = writeln!(text, "{body}\n");
    }
    let _ = writeln!(text, "## Commits\n");
    for (commit, date) in period.commits.iter().zip(&period.dates) {
        let _ = writeln!(
            text,
            "- {date} `{}` {} ({})",
            short_id(&commit.id),
            one_line(&commit.summary),
            one_line(&commit.author)
        );
    }
    text
}

/// Turns `` `path` `` mentions of files in the overview into links to their sections.
fn link_paths(
    overview: &str,
    period: &Period<'_>,
    anchor_of: &dyn Fn(usize) -> Option<String>,
) -> String {
    let mut linked = overview.to_string();
    // Longest paths first, so `src/a.rs` inside `src/a.rs.bak` is not linked by mistake.
    let mut files: Vec<(usize, &FileChange)> = period.changes.files.iter().enumerate().collect();
    files.sort_by_key(|(_, file)| std::cmp::Reverse(file.path.len()));
    for (index, file) in files {
        if let Some(anchor) = anchor_of(index) {
            let mention = format!("`{}`", file.path);
            linked = linked.replace(&mention, &format!("[{mention}](#{anchor})"));
        }
    }
    linked
}

/// The overview: the period and the table of models, fastest first, failures last.
pub(crate) fn render_overview(period: &Period<'_>, rows: &[ReportModel]) -> String {
    let mut rows: Vec<&ReportModel> = rows.iter().collect();
    rows.sort_by_key(|row| (row.name.is_none(), row.duration));
    let mut text = format!(
        "# Changes in {} from {} to {}\n\n{} on `{}`, {} changed (+{} −{}).\n\n",
        period.repository,
        period.after.1,
        period.before.1,
        count(period.commits.len(), "commit"),
        period.branch,
        count(period.changes.files.len(), "file"),
        period.changes.added_lines(),
        period.changes.removed_lines()
    );
    text.push_str("| model | duration | output | status |\n|---|---|---|---|\n");
    for row in rows {
        let model = match &row.name {
            Some(file) => format!("[{}]({file})", row.model),
            None => row.model.clone(),
        };
        let _ = writeln!(
            text,
            "| {model} | {} | {} | {} |",
            short_duration(row.duration),
            row.bytes.map_or_else(|| "—".to_string(), human_bytes),
            row.status.replace('|', "\\|")
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_become_web_pages() {
        let github = WebRepository::from_remote("git@github.com:owner/name.git").expect("github");
        assert_eq!(github.base, "https://github.com/owner/name");
        assert_eq!(github.compare("a1", "b2"), "https://github.com/owner/name/compare/a1...b2");
        assert_eq!(github.file("c3", "src/x.rs"), "https://github.com/owner/name/blob/c3/src/x.rs");
        let gitlab =
            WebRepository::from_remote("https://user@gitlab.example.com/group/sub/repo.git")
                .expect("gitlab");
        assert_eq!(
            gitlab.compare("a", "b"),
            "https://gitlab.example.com/group/sub/repo/-/compare/a...b"
        );
        let ssh = WebRepository::from_remote("ssh://git@github.com:22/o/r.git").expect("ssh");
        assert_eq!(ssh.base, "https://github.com/o/r");
        assert_eq!(WebRepository::from_remote("/srv/git/repo.git"), None);
        assert_eq!(WebRepository::from_remote("https://example.com/o/r.git"), None);
    }

    #[test]
    fn slugs_follow_github_and_number_repeats() {
        let mut slugs = Slugger::default();
        assert_eq!(slugs.slug("src/config/mod.rs"), "srcconfigmodrs");
        assert_eq!(slugs.slug("Summary"), "summary");
        assert_eq!(slugs.slug("Summary"), "summary-1");
        assert_eq!(slugs.slug("my_file name-2.md"), "my_file-name-2md");
    }
}
