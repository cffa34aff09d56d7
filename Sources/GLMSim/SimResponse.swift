/// A response as a script of timed writes, so that faults (split characters, drips, stalls,
/// cut connections) are data the HTTP handler replays rather than special cases inside it.
struct SimResponse: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case head(status: Int, headers: [SimHeader])
        case body([UInt8])
    }

    struct Step: Sendable, Equatable {
        var part: Part
        /// Pause before this write; everything before it is flushed first, so a non-zero delay
        /// also guarantees a separate TCP write.
        var delayMilliseconds: Int = 0
    }

    /// What happens after the last step.
    enum Ending: Sendable, Equatable {
        /// End the HTTP message; keep the connection if the client asked for keep-alive.
        case end
        /// End the HTTP message, then close the connection.
        case endAndClose
        /// Close without ending the message: the client sees a truncated body.
        case abort
        /// Send nothing more and leave the connection open until the client leaves.
        case hold
    }

    var steps: [Step]
    var ending: Ending
    /// The scenario key whose in-flight slot (`busy:N`) this response holds: the handler frees
    /// it when the response ends or the client goes away.
    var releases: String?

    /// A complete JSON answer (errors, non-stream replies, health, models).
    static func json(status: Int, _ body: SimJSON, headers: [SimHeader] = []) -> SimResponse {
        json(status: status, bytes: body.bytes, headers: headers)
    }

    /// Raw bytes labelled as JSON, which lets `malformed` send a body that does not parse.
    static func json(status: Int, bytes: [UInt8], headers: [SimHeader] = []) -> SimResponse {
        SimResponse(
            steps: [
                Step(part: .head(status: status, headers: jsonHeaders(length: bytes.count) + headers)),
                Step(part: .body(bytes)),
            ],
            ending: .end
        )
    }

    static func jsonHeaders(length: Int) -> [SimHeader] {
        [
            SimHeader(name: "Content-Type", value: "application/json; charset=UTF-8"),
            SimHeader(name: "Content-Length", value: String(length)),
        ]
    }

    /// Body bytes in write order, ignoring timing (for tests and for cutting at byte N).
    var bodyBytes: [UInt8] {
        steps.flatMap { step -> [UInt8] in
            if case .body(let b) = step.part { return b }
            return []
        }
    }
}
