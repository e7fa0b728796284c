//! Pages and API of the territory: a CPTS's perimeter and communes, and CPTS themselves.

pub mod api;
pub mod cpts_api;
pub mod perimeter;
pub(crate) mod routes;
