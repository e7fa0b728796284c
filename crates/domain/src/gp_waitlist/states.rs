//! Where a request of the waiting list and a proposal to a GP stand, and how a request came
//! in, as they are stored.

crate::coded_enum! {
    /// Where a request of the waiting list stands.
    pub enum RequestStatus: "waiting-list request status" {
        /// Waiting for a GP.
        Open = "open",
        /// A GP was declared.
        Found = "found",
        /// Closed without a GP found by the CPTS (or merged into another request).
        Closed = "closed",
    }
}

crate::coded_enum! {
    /// How a request came in.
    pub enum RequestChannel: "waiting-list request channel" {
        /// Recorded by the coordination, on the phone.
        Phone = "phone",
        /// Sent by the patient through the public form.
        Form = "form",
    }
}

crate::coded_enum! {
    /// Where a proposal of a patient to a GP stands.
    pub enum ProposalStatus: "proposal status" {
        Pending = "pending",
        Accepted = "accepted",
        Declined = "declined",
        /// Taken back by the coordination.
        Withdrawn = "withdrawn",
    }
}
