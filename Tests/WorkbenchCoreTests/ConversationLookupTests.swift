import Foundation
import Testing
@testable import WorkbenchCore

/// Issue 11, defect 12: `glmwb --resume f455` must find the conversation as `logs show f455`
/// finds a run — by any unique prefix of its id.
@Suite("Run log: conversations by id prefix")
struct ConversationLookupTests {
    @Test("a unique prefix names its conversation; an ambiguous one and an unknown one are clear errors")
    func prefixes() async throws {
        let log = try RunLog(dataDir: tempDir())
        for conv in ["f455aa01", "f455bb02", "c0ffee03"] {
            let s = makeStart(prompt: "hello from \(conv)", conversation: conv)
            log.begin(s)
            log.finish(makeResult(s, content: "hi"))
        }
        try await log.flush()
        #expect(try log.conversationId(matching: "c0f") == "c0ffee03")
        #expect(try log.conversationId(matching: "f455aa01") == "f455aa01")
        #expect(try log.conversationId(matching: "f455a") == "f455aa01")
        #expect(throws: RunLog.ConversationLookupError.ambiguous("f455", ["f455aa01", "f455bb02"])) { try log.conversationId(matching: "f455") }
        #expect(throws: RunLog.ConversationLookupError.notFound("zz")) { try log.conversationId(matching: "zz") }
        #expect(throws: RunLog.ConversationLookupError.notFound("%")) { try log.conversationId(matching: "%") }
        #expect("\(RunLog.ConversationLookupError.ambiguous("f455", ["f455aa01", "f455bb02"]))".contains("f455aa01, f455bb02"))
    }
}
