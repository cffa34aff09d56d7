import Foundation
import NIOCore
import NIOHTTP1

/// Collects one request, asks `SimRouter` for the scripted response and replays its steps with
/// their delays. A client that goes away mid-reply only stops the replay: every write failure
/// and every late timer is absorbed here so the server keeps serving other connections.
final class SimHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Large enough for a 128K-token conversation; beyond that the request is refused unread.
    static let maxBodyBytes = 16 * 1024 * 1024
    /// Bytes written before waiting for the socket to drain, so `long:N` cannot pile up memory.
    static let batchBytes = 64 * 1024

    private let state: SimServerState
    private var requestHead: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var active = true
    /// The `busy:N` slot the response in progress holds, freed exactly once.
    private var heldSlot: String?

    init(state: SimServerState) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        active = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        releaseSlot()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        active = false
        releaseSlot()
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            body.removeAll(keepingCapacity: true)
            bodyTooLarge = false
        case .body(let buffer):
            guard !bodyTooLarge else { return }
            if body.count + buffer.readableBytes > Self.maxBodyBytes {
                bodyTooLarge = true
                body.removeAll()
            } else {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let head = requestHead else { return }
            requestHead = nil
            let response: SimResponse
            if bodyTooLarge {
                response = .json(status: 413, SimScript.httpErrorBody(code: "1214", message: "request body too large"))
            } else {
                // The Authorization header is deliberately never read: the simulator accepts any key.
                response = SimRouter.respond(
                    method: head.method.rawValue,
                    uri: head.uri,
                    headerScenario: head.headers.first(name: SimRouter.scenarioHeader),
                    body: body,
                    state: state
                )
            }
            body.removeAll(keepingCapacity: false)
            heldSlot = response.releases
            let replay = Replay(response: response, version: head.version, keepAlive: head.isKeepAlive)
            perform(replay, from: 0, delayed: false, context: context)
        }
    }

    private struct Replay {
        var response: SimResponse
        var version: HTTPVersion
        var keepAlive: Bool
    }

    /// Writes steps from `index` until the next delayed step or a full batch, flushes, and
    /// continues once the flush completed (backpressure) or the delay elapsed.
    private func perform(_ replay: Replay, from index: Int, delayed: Bool, context: ChannelHandlerContext) {
        guard active else { return }
        let steps = replay.response.steps
        if index < steps.count, steps[index].delayMilliseconds > 0, !delayed {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(steps[index].delayMilliseconds))) {
                self.perform(replay, from: index, delayed: true, context: context)
            }
            return
        }
        var i = index
        var written = 0
        var lastWrite: EventLoopFuture<Void>?
        while i < steps.count {
            if i > index, steps[i].delayMilliseconds > 0 { break }
            if written >= Self.batchBytes { break }
            let part: HTTPServerResponsePart
            switch steps[i].part {
            case .head(let status, let headers):
                var fields = HTTPHeaders(headers.map { ($0.name, $0.value) })
                if !replay.keepAlive, !fields.contains(name: "connection") {
                    fields.add(name: "Connection", value: "close")
                }
                part = .head(HTTPResponseHead(version: replay.version, status: HTTPResponseStatus(statusCode: status), headers: fields))
            case .body(let bytes):
                written += bytes.count
                part = .body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))
            }
            lastWrite = context.write(wrapOutboundOut(part))
            i += 1
        }
        if i < steps.count {
            context.flush()
            let next = i
            (lastWrite ?? context.eventLoop.makeSucceededVoidFuture()).assumeIsolated().whenComplete { result in
                switch result {
                case .success: self.perform(replay, from: next, delayed: false, context: context)
                case .failure: self.active = false
                }
            }
            return
        }
        finish(replay, after: lastWrite, context: context)
    }

    private func releaseSlot() {
        if let key = heldSlot { state.leave(scenario: key) }
        heldSlot = nil
    }

    private func finish(_ replay: Replay, after lastWrite: EventLoopFuture<Void>?, context: ChannelHandlerContext) {
        // The reply is generated: the slot is free before the client reads the last bytes, as a
        // real server's would be.
        releaseSlot()
        switch replay.response.ending {
        case .hold:
            context.flush()
        case .abort:
            context.flush()
            // Close only once the partial body is on the wire, or the cut would land elsewhere.
            (lastWrite ?? context.eventLoop.makeSucceededVoidFuture()).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .end, .endAndClose:
            let close = replay.response.ending == .endAndClose || !replay.keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if close { context.close(promise: nil) }
            }
        }
    }
}
