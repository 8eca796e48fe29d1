//! Certificate requests as the operator describes them (REQ.toml, the wizard): the model, its checks and its form body (issue 5).
