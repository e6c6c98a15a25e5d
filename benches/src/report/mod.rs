//! The token-efficiency report (`token-report`) and the speed charts (`bench-charts`):
//! datasets, the formats they are written in, exact token counts, the Markdown report,
//! bench result files, and the SVG bar charts of both.

pub mod charts;
pub mod datasets;
pub mod formats;
pub mod markdown;
pub mod measure;
pub mod results;
