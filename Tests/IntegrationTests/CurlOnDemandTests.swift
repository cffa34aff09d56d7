import CurlOnDemand
import Foundation
import GLMSim
import Testing
import WorkbenchTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// libcurl is loaded when first called, not at every start (`CurlOnDemand`, issue 15): the release
/// glmwb starts without it (`bench/bench.py` checks the release binary: tests run a debug build,
/// whose Foundation is shared libraries that load libcurl themselves), and Foundation's
/// URLSession, whose calls go through the forwarders, still works once something uses it (the MCP
/// SDK's HTTP transport would).
@Suite("libcurl on demand", .serialized)
struct CurlOnDemandTests {
    #if os(Linux)
        @Test("URLSession works through the forwarders: a GET, a POST with headers, an error status")
        func urlSessionWorks() async throws {
            let sim = try await GLMSimServer.start()
            defer { Task { try? await sim.shutdown() } }
            let config = URLSessionConfiguration.ephemeral
            config.timeoutIntervalForRequest = 30
            let session = URLSession(configuration: config)
            // The simulator's model list: a GET, read whole.
            let (list, listResponse) = try await session.data(from: sim.baseURL.appendingPathComponent("models"))
            #expect((listResponse as? HTTPURLResponse)?.statusCode == 200)
            let models = String(decoding: list, as: UTF8.self)
            #expect(models.contains("glm-4"), "\(models)")
            // A chat completion: a POST with a body and headers set through curl_easy_setopt and
            // curl_slist_append, its status and headers read back through curl_easy_getinfo.
            var request = URLRequest(url: sim.baseURL.appendingPathComponent("chat/completions"))
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let chat = #"{"model":"glm-4-32b-0414-128k","messages":[{"role":"user","content":"hi"}]}"#
            request.httpBody = Data(chat.utf8)
            let (body, response) = try await session.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
            #expect(http.value(forHTTPHeaderField: "Content-Type")?.contains("json") == true)
            #expect(String(decoding: body, as: UTF8.self).contains("\"choices\""))
            // A path the simulator does not serve: the status comes back, nothing breaks.
            let (_, missing) = try await session.data(from: sim.baseURL.appendingPathComponent("no-such-path"))
            #expect((missing as? HTTPURLResponse)?.statusCode == 404)
            #expect(glmwb_curl_loaded() == 1, "the requests did not go through the forwarders")
            session.finishTasksAndInvalidate()
        }
    #endif
}
