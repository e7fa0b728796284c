//! What a territorial diagnosis reads: the offer of care counted per commune and the
//! statistical files a host imports (ages, long-term illness, deaths).

pub mod offer;
pub mod statistics;
