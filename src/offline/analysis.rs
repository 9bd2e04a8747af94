//! Per-file facts for the local summarizer: each file's role, what its patch shows, and the
//! cross-file view of definitions that moved from one file to another.

use std::collections::{BTreeMap, BTreeSet};

use crate::git::change::{ChangeSet, FileChange, Status};

use super::definitions::{Kind, Language, Matcher};
use super::dependencies::{self, ManifestFacts};
use super::patch::{self, Definition, PatchFacts};
use super::paths::{self, Area};

/// The part a file plays in deciding the commit type; the order is the body's order and the
/// precedence among non-code roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Role {
    /// Source code whose change is not only tests, comments or whitespace.
    Code,
    /// Test files, and source files whose only changes are inside tests.
    Test,
    /// Build inputs: manifests, lock files, build scripts.
    Build,
    /// Continuous-integration pipelines.
    Ci,
    /// Prose, and source files whose only changes are comments.
    Docs,
    /// Configuration, assets and everything else.
    Chore,
}

/// Everything the summarizer knows about one changed file.
#[derive(Debug)]
pub(super) struct FileAnalysis<'a> {
    /// The change as collected.
    pub(super) file: &'a FileChange,
    /// The file's position in the change set, used to name where things moved from.
    pub(super) index: usize,
    /// The role judged from the path.
    pub(super) area: Area,
    /// The role judged from the path and the content.
    pub(super) role: Role,
    /// What the patch shows; empty when there is no patch.
    pub(super) facts: PatchFacts,
    /// Dependency changes, for manifests with a patch.
    pub(super) manifest: Option<ManifestFacts>,
    /// Locked versions that changed, for lock files (read from the private patch).
    pub(super) locked: Vec<dependencies::DependencyChange>,
    /// New non-test definitions that did not move here from another file.
    pub(super) new_definitions: Vec<Definition>,
    /// Removed non-test definitions that did not move to another file.
    pub(super) removed_definitions: Vec<Definition>,
    /// New tests.
    pub(super) added_tests: Vec<Definition>,
    /// Removed tests.
    pub(super) removed_tests: Vec<Definition>,
    /// Definitions that moved here: the name and the index of the file they left.
    pub(super) moved_in: Vec<(String, usize)>,
}

impl FileAnalysis<'_> {
    /// True when only the file mode changed.
    pub(super) fn mode_only(&self) -> bool {
        self.file.status == Status::Modified
            && self.file.changed_lines() == 0
            && self.file.mode_changed()
    }

    /// True when the file's content is shown and only whitespace changed.
    pub(super) fn whitespace_only(&self) -> bool {
        self.file.patch.is_some() && self.facts.whitespace_only
    }

    /// True when the change means something beyond formatting and permissions.
    pub(super) fn is_substantive(&self) -> bool {
        !self.whitespace_only() && !self.mode_only()
    }

    /// The path to show for this file.
    pub(super) fn path(&self) -> &str {
        &self.file.path
    }
}

/// Analyses every file of a change set, in the set's order.
pub(super) fn analyze_all(changes: &ChangeSet) -> Vec<FileAnalysis<'_>> {
    // `mod filter;` next to a new `filter.rs` is part of adding the file, not a second change.
    let file_modules: BTreeSet<&str> = changes
        .files
        .iter()
        .filter(|file| file.status != Status::Modified)
        .flat_map(|file| [Some(file.path.as_str()), file.old_path.as_deref()])
        .flatten()
        .map(paths::module_name)
        .collect();
    // One matcher per language, so capture buffers are allocated once, not once per file.
    let mut matchers: BTreeMap<Language, Matcher> = BTreeMap::new();
    let mut analyses: Vec<FileAnalysis<'_>> = changes
        .files
        .iter()
        .enumerate()
        .map(|(index, file)| analyze_file(index, file, &file_modules, &mut matchers))
        .collect();
    link_moves(&mut analyses);
    analyses
}

/// Analyses one file: role, patch facts, manifest facts, and definitions by kind.
fn analyze_file<'a>(
    index: usize,
    file: &'a FileChange,
    file_modules: &BTreeSet<&str>,
    matchers: &mut BTreeMap<Language, Matcher>,
) -> FileAnalysis<'a> {
    let area = paths::classify(&file.path, file.exclusion.as_ref());
    let language = Language::for_path(&file.path);
    let facts = file.patch.as_deref().map_or_else(PatchFacts::default, |text| {
        patch::analyze(
            text,
            matchers.entry(language).or_insert_with(|| Matcher::new(language)),
            Language::comment_style(&file.path),
            area == Area::Test,
        )
    });
    let manifest = match (area, file.patch.as_deref()) {
        (Area::Dependency, Some(text)) => dependencies::analyze(&file.path, text),
        _ => None,
    };
    let locked = match (area, file.private_patch.as_deref()) {
        (Area::Lock, Some(text)) => dependencies::analyze_lock(&file.path, text),
        _ => Vec::new(),
    };
    let role = match area {
        Area::Source if file.status == Status::Modified && facts.test_only() => Role::Test,
        Area::Source if facts.comment_only() => Role::Docs,
        Area::Source => Role::Code,
        Area::Test => Role::Test,
        Area::Docs => Role::Docs,
        Area::Dependency | Area::Lock | Area::Build => Role::Build,
        Area::Ci => Role::Ci,
        Area::Config | Area::Other => Role::Chore,
    };
    let keep = |definition: &&Definition| {
        let declares_changed_file =
            definition.kind == Kind::Module && file_modules.contains(definition.name.as_str());
        !definition.inside_changed_owner && !declares_changed_file
    };
    let split = |definitions: &[Definition], tests: bool| -> Vec<Definition> {
        definitions
            .iter()
            .filter(keep)
            .filter(|definition| definition.is_test == tests)
            .cloned()
            .collect()
    };
    FileAnalysis {
        file,
        index,
        area,
        role,
        new_definitions: split(&facts.added, false),
        removed_definitions: split(&facts.removed, false),
        added_tests: split(&facts.added, true),
        removed_tests: split(&facts.removed, true),
        facts,
        manifest,
        locked,
        moved_in: Vec::new(),
    }
}

/// Pairs definitions removed from one file with the same name added to another.
fn link_moves(analyses: &mut [FileAnalysis<'_>]) {
    let mut removed_by_name: BTreeMap<String, usize> = BTreeMap::new();
    for analysis in analyses.iter() {
        for definition in &analysis.removed_definitions {
            removed_by_name.entry(definition.name.clone()).or_insert(analysis.index);
        }
    }
    if removed_by_name.is_empty() {
        return;
    }
    let mut moved_out: BTreeSet<(usize, String)> = BTreeSet::new();
    for analysis in analyses.iter_mut() {
        let index = analysis.index;
        let mut kept = Vec::with_capacity(analysis.new_definitions.len());
        for definition in std::mem::take(&mut analysis.new_definitions) {
            match removed_by_name.get(&definition.name) {
                Some(&from) if from != index => {
                    moved_out.insert((from, definition.name.clone()));
                    analysis.moved_in.push((definition.name, from));
                }
                _ => kept.push(definition),
            }
        }
        analysis.new_definitions = kept;
    }
    for analysis in analyses.iter_mut() {
        let index = analysis.index;
        analysis
            .removed_definitions
            .retain(|definition| !moved_out.contains(&(index, definition.name.clone())));
    }
}
