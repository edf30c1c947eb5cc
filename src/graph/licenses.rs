//! The licence graph: packages → licence terms.
