//! The features a change is compared by, each a hashed string: per file its path, name,
//! extension, folders, status and kind; per change the set of kinds, "only" markers,
//! bucketed sizes, whitespace-only, comment-only and version-bump markers, and the type and
//! scope today's rules give. Both the history and the change being described go through
//! `features`, so a feature means the same on both sides.

use std::collections::BTreeSet;

use super::shape::Shape;

/// Files of a change that contribute per-file features.
const FEATURE_FILES: usize = 40;

/// FNV-1a: stable across builds and platforms, and fast on short strings.
fn hash(text: &str) -> u64 {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        state ^= u64::from(byte);
        state = state.wrapping_mul(0x0100_0000_01b3);
    }
    state
}

/// `⌊log₂(n + 1)⌋`, so 0, 1, 2–3, 4–7... fall in buckets of their own.
fn bucket(number: usize) -> u32 {
    usize::BITS - (number + 1).leading_zeros() - 1
}

/// The hashed features of a change, sorted and without repeats.
pub(crate) fn features(shape: &Shape) -> Vec<u64> {
    let mut out: BTreeSet<u64> = BTreeSet::new();
    let mut add = |text: String| {
        out.insert(hash(&text));
    };
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    let mut statuses: BTreeSet<char> = BTreeSet::new();
    for file in shape.files.iter().take(FEATURE_FILES) {
        let path = file.path.as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        let extension = match name.rfind('.') {
            Some(position) if position > 0 => &name[position + 1..],
            _ => "",
        };
        add(format!("p:{path}"));
        add(format!("b:{name}"));
        add(format!("e:{extension}"));
        let folders: Vec<&str> = path.split('/').collect();
        let folders = &folders[..folders.len().saturating_sub(1)];
        for depth in 1..=folders.len().min(4) {
            add(format!("d{depth}:{}", folders[..depth].join("/")));
        }
        if folders.is_empty() {
            add("d0".to_string());
        }
        add(format!("k:{}", file.kind));
        if file.status != 'M' {
            add(format!("s:{extension}:{}", file.status));
            add(format!("ks:{}:{}", file.kind, file.status));
        }
        kinds.insert(file.kind.as_str());
        statuses.insert(file.status);
    }
    let kinds: Vec<&str> = kinds.into_iter().collect();
    add(format!("K:{}", kinds.join("+")));
    if let [only] = kinds.as_slice() {
        add(format!("only:{only}"));
    }
    if let Some(status) = statuses.iter().next().filter(|_| statuses.len() == 1) {
        add(format!("allstatus:{status}"));
    }
    add(format!("nf:{}", bucket(shape.file_count)));
    add(format!("na:{}", bucket(shape.added)));
    add(format!("nr:{}", bucket(shape.removed)));
    if let Some(ratio) = (shape.added * 4).checked_div(shape.changed_lines()) {
        add(format!("ratio:{ratio}"));
    }
    if shape.whitespace_only {
        add("ws".to_string());
    }
    if shape.comment_only {
        add("co".to_string());
    }
    if shape.bump_lines > 0 {
        add("bump".to_string());
        if shape.pure_bump() {
            add("purebump".to_string());
        }
    }
    if shape.version.is_some() {
        add("version".to_string());
    }
    if shape.bump_count > 0 {
        add(format!("deps:{}", bucket(shape.bump_count)));
    }
    if shape.changelog_entry.is_some() {
        add("changelog-entry".to_string());
    }
    if shape.changelog_release {
        add("changelog-release".to_string());
    }
    if let Some(author) = &shape.author {
        add(format!("author:{author}"));
    }
    let scope = shape.rule_scope.as_deref().unwrap_or("-");
    add(format!("rt:{}", shape.rule_type));
    add(format!("rs:{scope}"));
    add(format!("rts:{}:{scope}", shape.rule_type));
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventions::shape::ShapeFile;

    #[test]
    fn the_same_change_gives_the_same_features() {
        let file = |path: &str, kind: &str| ShapeFile {
            path: path.to_string(),
            old: None,
            status: 'M',
            kind: kind.to_string(),
            added: 1,
            removed: 1,
        };
        let shape = Shape {
            files: vec![file("src/config/mod.rs", "source"), file("Cargo.lock", "lock")],
            file_count: 2,
            added: 2,
            removed: 2,
            rule_type: "fix".to_string(),
            ..Shape::default()
        };
        let features = features(&shape);
        assert_eq!(features, super::features(&shape.clone()));
        assert!(features.contains(&hash("d2:src/config")));
        assert!(features.contains(&hash("K:lock+source")));
        assert!(!features.contains(&hash("only:source")));
        assert_eq!((bucket(0), bucket(1), bucket(2), bucket(3), bucket(4)), (0, 1, 1, 2, 2));
    }
}
