import AOClient

// Hummingbird (through HTTPTypes) also declares `HTTPRequest` and `HTTPResponse`, and the
// module name `AOClient` is shadowed by its class `AOClient`, so `AOClient.HTTPRequest`
// cannot name the module's type. This file imports only AOClient, where the names are
// unambiguous, and gives the server's files distinct names for them.

/// The transport's request type (`AOClient.HTTPRequest`).
typealias TransportRequest = HTTPRequest
/// The transport's response type (`AOClient.HTTPResponse`).
typealias TransportResponse = HTTPResponse
