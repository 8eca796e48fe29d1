//! Writes: ordering certificates, changing them, answering what their changes wait for, each
//! journaled before it is sent (`store::submissions`) and never sent twice blindly. Used by
//! the one-shot commands and the dashboard's effects alike, so both send exactly the same
//! requests. Above the API clients and the store, below the app.

pub mod cps_answer;
pub mod cps_answer_text;
pub mod cps_create;
pub mod cps_names;
pub mod cps_order;
pub mod journaled;
pub mod papi_edge;
pub mod shown;
