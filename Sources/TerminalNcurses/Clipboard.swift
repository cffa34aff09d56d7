import Foundation

/// OSC 52 asks the terminal itself to set the system clipboard, so copying works over ssh and
/// without xclip/pbcopy.
///
/// Inside tmux the plain sequence is the one that works with what the README tells users to set
/// (`set -g set-clipboard on`): tmux takes it into a paste buffer and forwards it to the outer
/// terminal. The DCS passthrough wrapper (`ESC P tmux; …`) reaches nothing unless
/// `allow-passthrough` is also on, and then bypasses tmux's buffers, so it is not used.
public enum Clipboard {
    public static func osc52(_ text: String) -> String {
        "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
    }
}
