import Foundation

/// Maps one complete HTTP request to a scripted response. Pure apart from the shared counters,
/// so routing, validation and scenario choice are testable without a socket.
enum SimRouter {
    static let chatPaths: Set<String> = ["/api/paas/v4/chat/completions", "/v1/chat/completions", "/chat/completions"]
    static let modelPaths: Set<String> = ["/v1/models", "/api/paas/v4/models", "/models"]
    static let scenarioHeader = "X-GLMSim-Scenario"

    /// - Parameter headerScenario: the `X-GLMSim-Scenario` header value, if any.
    static func respond(method: String, uri: String, headerScenario: String?, body: [UInt8], state: SimServerState, now: Date = Date()) -> SimResponse {
        var path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }

        switch (method, path) {
        case ("POST", let p) where chatPaths.contains(p):
            return chat(headerScenario: headerScenario, body: body, state: state, now: now)
        case ("GET", "/health"):
            return .json(status: 200, .object([("status", .string("ok")), ("server", .string("GLMSim"))]))
        case ("GET", let p) where modelPaths.contains(p):
            return .json(status: 200, models)
        default:
            return .json(status: 404, SimScript.httpErrorBody(code: "1222", message: "API does not exist"))
        }
    }

    static func chat(headerScenario: String?, body: [UInt8], state: SimServerState, now: Date) -> SimResponse {
        let request: SimRequest
        switch SimRequest.parse(body) {
        case .failure(let invalid):
            return .json(status: 400, SimScript.httpErrorBody(code: invalid.code, message: invalid.message))
        case .success(let parsed):
            request = parsed
        }
        let key = scenarioKey(header: headerScenario, model: request.model, default: state.defaultScenario)
        guard let scenario = SimScenario(key: key) else {
            return .json(status: 400, SimScript.httpErrorBody(code: "1211", message: "model does not exist: unknown GLMSim scenario '\(key)'"))
        }
        let attempt = state.recordRequest(scenario: key)
        state.recordBody(scenario: key, body: body)
        var outcome = SimScript.outcome(for: scenario, request: request, attempt: attempt)
        var releases: String?
        if case .busy(let limit) = scenario {
            if state.enter(scenario: key, limit: limit) {
                releases = key
            } else {
                outcome = SimScript.httpError(status: 429, code: "1302", message: "concurrency too high")
            }
        }
        let writer = SimResponseWriter(id: state.nextID(now: now), created: Int(now.timeIntervalSince1970), request: request)
        var response = writer.response(for: outcome)
        response.addHeader(SimHeader(name: scenarioHeader, value: key))
        response.releases = releases
        return response
    }

    /// Header first, then a `sim/NAME` model, then the server default.
    static func scenarioKey(header: String?, model: String, default fallback: String) -> String {
        if let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty { return header }
        if model.hasPrefix("sim/") { return String(model.dropFirst(4)) }
        return fallback
    }

    static var models: SimJSON {
        let ids = ["glm-4-32b-0414-128k"] + GLMScenarios.all.map { "sim/" + $0.name }
        return .object([
            ("object", .string("list")),
            ("data", .array(ids.map { .object([("id", .string($0)), ("object", .string("model")), ("owned_by", .string("glmsim"))]) })),
        ])
    }
}

extension SimResponse {
    mutating func addHeader(_ header: SimHeader) {
        guard let first = steps.first, case .head(let status, let headers) = first.part else { return }
        steps[0].part = .head(status: status, headers: headers + [header])
    }
}
