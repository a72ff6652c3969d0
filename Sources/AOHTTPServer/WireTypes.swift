import AOClient

// The transport's request and response types under names that neither the `AOClient` class
// nor Hummingbird's HTTP types shadow.
typealias WireRequest = HTTPRequest
typealias WireResponse = HTTPResponse
