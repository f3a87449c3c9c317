pub mod demo;
pub mod text;
