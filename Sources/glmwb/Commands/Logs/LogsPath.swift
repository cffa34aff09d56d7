import ArgumentParser
import Foundation
import WorkbenchCore

extension LogsCommand {
    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path", abstract: "Print the log database's path.")
        @OptionGroup var options: LogOptions
        func run() throws { Console.print(try options.open().path) }
    }
}
