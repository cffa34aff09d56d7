import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import GLMSim

/// Starts a server for one test and always shuts it down, so tests never share counters.
func withServer<T>(defaultScenario: String = "text", _ body: (GLMSimServer) async throws -> T) async throws -> T {
    let server = try await GLMSimServer.start(defaultScenario: defaultScenario)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

struct HTTPResult {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
}

/// A plain URLSession round trip, the way an ordinary client would talk to the server.
func post(_ server: GLMSimServer, path: String = "/chat/completions", scenario: String? = nil, json: String) async throws -> HTTPResult {
    var request = URLRequest(url: URL(string: server.baseURL.absoluteString + path)!)
    request.httpMethod = "POST"
    request.httpBody = Data(json.utf8)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue("Bearer test-key-not-secret", forHTTPHeaderField: "Authorization")
    if let scenario { request.setValue(scenario, forHTTPHeaderField: "X-GLMSim-Scenario") }
    request.timeoutInterval = 10
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var headers: [String: String] = [:]
    for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
    return HTTPResult(status: http.statusCode, headers: headers, body: data)
}

func chatBody(model: String = "glm-4-32b-0414-128k", stream: Bool, messages: String = #"[{"role":"system","content":"Be brief."},{"role":"user","content":"Ping"}]"#, extra: String = "") -> String {
    #"{"model":"\#(model)","stream":\#(stream),"messages":\#(messages)\#(extra)}"#
}

/// SSE events of a body split on blank lines, without the trailing empty piece.
func sseEvents(_ text: String) -> [String] {
    text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
}

func payload(_ event: String) -> [String: Any] {
    let json = event.hasPrefix("data: ") ? String(event.dropFirst(6)) : event
    return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
}

func delta(_ object: [String: Any]) -> [String: Any] {
    ((object["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]) ?? [:]
}

// MARK: Raw sockets

/// What a raw socket saw: needed where URLSession hides the interesting part (a cut
/// connection, a stall, the absence of the chunked terminator).
struct RawResult {
    var status: Int
    var headers: [String: String]
    /// De-chunked body bytes received.
    var body: [UInt8]
    /// The chunked terminator (or the full Content-Length) arrived.
    var complete: Bool
    var timedOut: Bool
    var text: String { String(decoding: body, as: UTF8.self) }
}

func rawRequest(port: Int, method: String = "POST", path: String = "/api/paas/v4/chat/completions", headers: [String: String] = [:], body: String, readTimeout: Double = 5) async -> RawResult {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: blockingRawRequest(port: port, method: method, path: path, headers: headers, body: body, readTimeout: readTimeout))
        }
    }
}

private func blockingRawRequest(port: Int, method: String, path: String, headers: [String: String], body: String, readTimeout: Double) -> RawResult {
    #if os(Linux)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    precondition(fd >= 0)
    defer { close(fd) }
    var tv = timeval()
    tv.tv_sec = .init(Int(readTimeout))
    tv.tv_usec = .init(Int((readTimeout - Double(Int(readTimeout))) * 1_000_000))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    precondition(connected == 0)
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
    for (k, v) in headers { head += "\(k): \(v)\r\n" }
    let request = Array((head + "\r\n" + body).utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }

    var received: [UInt8] = []
    var timedOut = false
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { received.append(contentsOf: buffer[0..<n]); continue }
        if n < 0 { timedOut = (errno == EAGAIN || errno == EWOULDBLOCK) }
        break
    }
    return parseRaw(received, timedOut: timedOut)
}

private func parseRaw(_ bytes: [UInt8], timedOut: Bool) -> RawResult {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let end = bytes.indices.first(where: { $0 + 4 <= bytes.count && Array(bytes[$0..<$0 + 4]) == separator }) else {
        return RawResult(status: 0, headers: [:], body: [], complete: false, timedOut: timedOut)
    }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let rest = Array(bytes[(end + 4)...])
    if headers["transfer-encoding"]?.lowercased() == "chunked" {
        var body: [UInt8] = []
        var i = 0
        var complete = false
        while let lineEnd = (i..<max(i, rest.count - 1)).first(where: { rest[$0] == 13 && rest[$0 + 1] == 10 }) {
            let size = Int(String(decoding: rest[i..<lineEnd], as: UTF8.self), radix: 16) ?? 0
            if size == 0 { complete = true; break }
            let start = lineEnd + 2
            let stop = min(start + size, rest.count)
            body.append(contentsOf: rest[start..<stop])
            if stop < start + size { break }
            i = stop + 2
        }
        return RawResult(status: status, headers: headers, body: body, complete: complete, timedOut: timedOut)
    }
    let length = headers["content-length"].flatMap { Int($0) }
    return RawResult(status: status, headers: headers, body: rest, complete: length.map { rest.count >= $0 } ?? true, timedOut: timedOut)
}
