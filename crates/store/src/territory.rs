//! The territory: the national reference tables (communes, departments, regions, EPCI,
//! populations) and the CPTS of a host with their perimeters.

pub mod cpts;
pub mod reference;
