//! Tools around the use cases rather than use cases: the synthetic directory and
//! statistics generators, the benchmarks' workloads and the demo's data.

pub mod bench;
pub mod demo;
pub mod synth;
