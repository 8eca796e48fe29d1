//! Every submission, journaled before it is sent and completed after (issue 5).
