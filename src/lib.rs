//! `clientele`: a sans-I/O customer-relationship model.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod calendar;
pub mod id;
pub mod value;

pub use calendar::{
    CalendarBuilder, CalendarError, Exception, ExceptionKind, Holiday, Period, ServiceCalendar,
    WallTime,
};
pub use id::{
    AgentId, ComplaintId, CustomerId, FollowUpId, IdParseError, InteractionId, PartyId, PromiseId,
};
pub use value::{Channel, Direction, Priority, Span, Text, Tier, ValueError};
