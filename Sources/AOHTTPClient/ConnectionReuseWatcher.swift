import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// The failure of a request that went out on a reused keep-alive connection which then ended
/// (closed, reset, cut TLS) before any byte of the answer came back: the server or a proxy had
/// closed the idle connection just as the request was sent. Safe to send again only when the
/// request is idempotent.
struct StaleConnectionError: Error, Hashable {}

/// Watches one pooled HTTP/1.1 connection, between the response decoder and AsyncHTTPClient's
/// handler: it counts the requests written on it and whether the one in flight has seen any
/// part of its answer. When a second or later request is awaiting its first byte and the
/// connection fails or closes (or a write on it fails), the request fails with
/// `StaleConnectionError` instead of the plain error, so that `HTTPTransport` can tell this case from every other closed connection.
/// AsyncHTTPClient 1.37 retries nothing itself (it fails such a request with
/// `HTTPClientError.remoteConnectionClosed`).
final class ConnectionReuseWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private var requestsWritten = 0
    private var awaitingAnswer = false

    /// Adds a watcher to a new connection's pipeline (AsyncHTTPClient's connection initializer).
    static func install(on channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.submit {
            let sync = channel.pipeline.syncOperations
            let decoder = try sync.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
            try sync.addHandler(ConnectionReuseWatcher(), position: .after(decoder))
        }
    }

    private var requestIsStale: Bool { awaitingAnswer && requestsWritten > 1 }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) {
            requestsWritten += 1
            awaitingAnswer = true
        }
        guard requestIsStale else {
            context.write(data, promise: promise)
            return
        }
        // A write that fails (the socket is already closed, or reset) fails the request
        // through its promise, not through `errorCaught`.
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { result in
            switch result {
            case .success: promise?.succeed(())
            case .failure: promise?.fail(StaleConnectionError())
            }
        }
        context.write(data, promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        awaitingAnswer = false
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parser error means bytes of an answer did arrive (a head cut short).
        if error is HTTPParserError { awaitingAnswer = false }
        if requestIsStale {
            awaitingAnswer = false
            context.fireErrorCaught(StaleConnectionError())
            return
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if requestIsStale {
            awaitingAnswer = false
            context.fireErrorCaught(StaleConnectionError())
        }
        context.fireChannelInactive()
    }
}

/// A response delegate that notes whether the request's head went out, around
/// `ResponseAccumulator`: a request that fails before that sent nothing.
final class SendTracking: HTTPClientResponseDelegate {
    typealias Response = ResponseAccumulator.Response
    private let inner: ResponseAccumulator
    private let sent = Mutex(false)

    init(_ inner: ResponseAccumulator) { self.inner = inner }

    /// True once the request head was written to a connection.
    var headWasSent: Bool { sent.withLock { $0 } }

    func didSendRequestHead(task: HTTPClient.Task<Response>, _ head: HTTPRequestHead) {
        sent.withLock { $0 = true }
        inner.didSendRequestHead(task: task, head)
    }

    func didSendRequestPart(task: HTTPClient.Task<Response>, _ part: IOData) { inner.didSendRequestPart(task: task, part) }

    func didSendRequest(task: HTTPClient.Task<Response>) { inner.didSendRequest(task: task) }

    func didVisitURL(task: HTTPClient.Task<Response>, _ request: HTTPClient.Request, _ head: HTTPResponseHead) {
        inner.didVisitURL(task: task, request, head)
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        inner.didReceiveHead(task: task, head)
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        inner.didReceiveBodyPart(task: task, buffer)
    }

    func didReceiveError(task: HTTPClient.Task<Response>, _ error: any Error) { inner.didReceiveError(task: task, error) }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response { try inner.didFinishRequest(task: task) }
}
