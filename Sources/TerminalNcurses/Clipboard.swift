import Foundation

/// OSC 52 asks the terminal itself to set the system clipboard, so copying works over ssh and
/// without xclip/pbcopy. tmux swallows unknown escape sequences unless they are wrapped in its
/// DCS passthrough (`ESC P tmux; … ESC \`, with every inner ESC doubled); tmux also needs
/// `set -g allow-passthrough on` or `set-clipboard on` for the copy to reach the outer terminal.
public enum Clipboard {
    public static func osc52(_ text: String, tmux: Bool) -> String {
        let payload = Data(text.utf8).base64EncodedString()
        let osc = "\u{1B}]52;c;\(payload)\u{07}"
        guard tmux else { return osc }
        return "\u{1B}Ptmux;" + osc.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
    }
}
