import WorkbenchCore
@testable import WorkbenchUI

extension Effect {
    /// A typed turn's parts, for tests that check what Ctrl-S (or regenerate, or resend) ordered.
    var sent: (text: String, system: String?, parameters: RequestParameters, mode: RunMode, rewindToUserTurn: Int?)? {
        guard case .startTurn(let o) = self, case .prompt(let text, let parameters) = o.input else { return nil }
        return (text, o.system, parameters, o.mode, o.rewindToUserTurn)
    }

    /// A template turn's rendering and mode.
    var sentTemplate: (RenderedTemplate, RunMode)? {
        guard case .startTurn(let o) = self, case .template(let r) = o.input else { return nil }
        return (r, o.mode)
    }
}
