//! Storage migrations of the credit token.

pub mod v1;
