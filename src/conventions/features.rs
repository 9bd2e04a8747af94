//! The features a change is compared by, each a hashed string: per file its path, name,
//! extension, folders, status and kind; per change the set of kinds, "only" markers,
//! bucketed sizes, whitespace-only, comment-only and version-bump markers, and the type and
//! scope today's rules give. Both the history and the change being described go through
//! `features`, so a feature means the same on both sides.

use super::shape::Shape;

/// Files of a change that contribute per-file features.
const FEATURE_FILES: usize = 40;

/// FNV-1a, fed piece by piece so that no string is built per feature: stable across builds
/// and platforms, and fast on short strings. A feature's hash is that of its text.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn text(mut self, text: &str) -> Fnv {
        for byte in text.bytes() {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// The decimal digits of `number`.
    fn number(self, number: usize) -> Fnv {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = number;
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.text(std::str::from_utf8(&digits[start..]).unwrap_or_default())
    }

    fn character(self, character: char) -> Fnv {
        self.text(character.encode_utf8(&mut [0u8; 4]))
    }
}

#[cfg(test)]
fn hash(text: &str) -> u64 {
    Fnv::new().text(text).0
}

/// `⌊log₂(n + 1)⌋`, so 0, 1, 2–3, 4–7... fall in buckets of their own.
fn bucket(number: usize) -> usize {
    (usize::BITS - number.saturating_add(1).leading_zeros() - 1) as usize
}

/// The hashed features of a change, sorted and without repeats.
pub(crate) fn features(shape: &Shape) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(64);
    let mut add = |hash: Fnv| out.push(hash.0);
    let fnv = Fnv::new;
    let mut kinds: Vec<&str> = Vec::new();
    let mut statuses: Vec<char> = Vec::new();
    for file in shape.files.iter().take(FEATURE_FILES) {
        let path = file.path.as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        let extension = match name.rfind('.') {
            Some(position) if position > 0 => &name[position + 1..],
            _ => "",
        };
        add(fnv().text("p:").text(path));
        add(fnv().text("b:").text(name));
        add(fnv().text("e:").text(extension));
        // Each folder prefix up to four deep: `d2:src/config` for `src/config/mod.rs`.
        let mut depth = 0;
        for (end, _) in path.match_indices('/').take(4) {
            depth += 1;
            add(fnv().text("d").number(depth).text(":").text(&path[..end]));
        }
        if depth == 0 {
            add(fnv().text("d0"));
        }
        add(fnv().text("k:").text(&file.kind));
        if file.status != 'M' {
            add(fnv().text("s:").text(extension).text(":").character(file.status));
            add(fnv().text("ks:").text(&file.kind).text(":").character(file.status));
        }
        if !kinds.contains(&file.kind.as_str()) {
            kinds.push(file.kind.as_str());
        }
        if !statuses.contains(&file.status) {
            statuses.push(file.status);
        }
    }
    kinds.sort_unstable();
    let mut all_kinds = fnv().text("K:");
    for (position, kind) in kinds.iter().enumerate() {
        if position > 0 {
            all_kinds = all_kinds.text("+");
        }
        all_kinds = all_kinds.text(kind);
    }
    add(all_kinds);
    if let [only] = kinds.as_slice() {
        add(fnv().text("only:").text(only));
    }
    if let [status] = statuses.as_slice() {
        add(fnv().text("allstatus:").character(*status));
    }
    add(fnv().text("nf:").number(bucket(shape.file_count)));
    add(fnv().text("na:").number(bucket(shape.added)));
    add(fnv().text("nr:").number(bucket(shape.removed)));
    if let Some(ratio) = shape.added.saturating_mul(4).checked_div(shape.changed_lines()) {
        add(fnv().text("ratio:").number(ratio));
    }
    if shape.whitespace_only {
        add(fnv().text("ws"));
    }
    if shape.comment_only {
        add(fnv().text("co"));
    }
    if shape.bump_lines > 0 {
        add(fnv().text("bump"));
        if shape.pure_bump() {
            add(fnv().text("purebump"));
        }
    }
    if shape.version.is_some() {
        add(fnv().text("version"));
    }
    if shape.bump_count > 0 {
        add(fnv().text("deps:").number(bucket(shape.bump_count)));
    }
    if shape.changelog_entry.is_some() {
        add(fnv().text("changelog-entry"));
    }
    if shape.changelog_release {
        add(fnv().text("changelog-release"));
    }
    if let Some(author) = &shape.author {
        add(fnv().text("author:").text(author));
    }
    let scope = shape.rule_scope.as_deref().unwrap_or("-");
    add(fnv().text("rt:").text(&shape.rule_type));
    add(fnv().text("rs:").text(scope));
    add(fnv().text("rts:").text(&shape.rule_type).text(":").text(scope));
    out.sort_unstable();
    out.dedup();
    out
}

/// The hashed signals of a change's content, sorted and without repeats: what it says about
/// the kind of change, kept apart from the structural features because it says nothing
/// about where the change belongs.
pub(crate) fn signal_features(shape: &Shape) -> Vec<u64> {
    let mut out: Vec<u64> =
        shape.signals.iter().map(|signal| Fnv::new().text("sg:").text(signal).0).collect();
    out.sort_unstable();
    out.dedup();
    out
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
        assert!(features.contains(&hash("d1:src")));
        assert!(features.contains(&hash("nf:1")));
        assert!(features.contains(&hash("ratio:2")));
        assert!(features.contains(&hash("K:lock+source")));
        assert!(!features.contains(&hash("only:source")));
        assert_eq!((bucket(0), bucket(1), bucket(2), bucket(3), bucket(4)), (0, 1, 1, 2, 2));
    }
}
