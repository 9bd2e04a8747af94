//! From a collected `ChangeSet` to what models read: the input text (only what may be sent),
//! and, later, planning, fan-out, caching and merging.

pub mod prompt;
