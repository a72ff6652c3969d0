import AOClient

// AOClient's request and response types under names that do not clash with Hummingbird's
// `HTTPRequest`/`HTTPResponse` (the module also has a class named `AOClient`, so
// `AOClient.HTTPRequest` cannot be written).
typealias TransportRequest = HTTPRequest
typealias TransportResponse = HTTPResponse
