//! Reading model files into a plain [`Model`](crate::model::Model).

pub mod pmd;
pub mod reader;
pub mod text;
