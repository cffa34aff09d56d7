// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Where `link/libcurl.so` lies (a linker script; see Sources/CurlOnDemand/curl_on_demand.c):
/// first on glmwb's library path, so Foundation's `-lcurl` finds it before the system's.
let curlLinkScripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Sources/CurlOnDemand/link").path

/// Layers follow ../shared/DESIGN.md: arrows point at what a layer may import.
/// WorkbenchCore knows no NIO and no ncurses; NIO stays inside WorkbenchHTTP and GLMSim;
/// only TerminalNcurses imports the C shim.
let package = Package(
    name: "glmwb",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "glmwb", targets: ["glmwb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        // No `pkgConfig`: Debian's ncursesw.pc names `-L/usr/lib/x86_64-linux-gnu`, which SwiftPM
        // puts first on the link's library path, ahead of CurlOnDemand's linker script. The module
        // map's `link "ncursesw"` finds the same library (its linker script adds -ltinfo), and
        // shim.h sets the one define the .pc's cflags were for (SwiftPM dropped them anyway).
        .systemLibrary(name: "CNcursesW", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "WorkbenchCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        .target(
            name: "WorkbenchHTTP",
            dependencies: [
                "WorkbenchCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "GLMSim",
            dependencies: [
                "WorkbenchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "WorkbenchUI",
            dependencies: ["WorkbenchCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "TerminalNcurses", dependencies: ["WorkbenchUI", "CNcursesW"]),
        // libcurl loaded when first called, not at every start (issue 15): FoundationNetworking's
        // calls into it, forwarded. Linked wherever the MCP SDK (hence URLSession) is.
        .target(name: "CurlOnDemand", exclude: ["link"]),
        .target(
            name: "WorkbenchTools",
            dependencies: [
                "WorkbenchCore", "CurlOnDemand",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        .executableTarget(name: "UIBench", dependencies: ["WorkbenchCore", "WorkbenchUI"]),
        .executableTarget(name: "MCPDemoServer", dependencies: [.product(name: "MCP", package: "swift-sdk")]),
        .executableTarget(
            name: "glmwb",
            dependencies: [
                "WorkbenchCore", "WorkbenchHTTP", "GLMSim", "WorkbenchUI", "TerminalNcurses", "WorkbenchTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [.unsafeFlags(["-L\(curlLinkScripts)"], .when(platforms: [.linux]))]
        ),
        // For tests only (as swift-argument-parser's ArgumentParserTestHelpers): the scripted
        // transport, the simulator rig and fixtures, the one launcher of the real binary.
        .target(name: "WorkbenchTestSupport", dependencies: ["WorkbenchCore", "WorkbenchHTTP", "GLMSim"]),
        .testTarget(
            name: "WorkbenchCoreTests",
            dependencies: [
                "WorkbenchCore", "WorkbenchTestSupport", "GLMSim", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "WorkbenchUITests", dependencies: ["WorkbenchUI", "WorkbenchCore", "WorkbenchTestSupport"],
            exclude: ["__Goldens__"]),
        .testTarget(name: "TerminalNcursesTests", dependencies: ["TerminalNcurses", "WorkbenchUI", "CNcursesW"]),
        .testTarget(name: "GLMSimTests", dependencies: ["GLMSim", "WorkbenchCore"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "WorkbenchCore", "WorkbenchHTTP", "GLMSim", "WorkbenchTools", "WorkbenchTestSupport", "CurlOnDemand",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Tests link Foundation as shared libraries, whose calls into libcurl would bypass
            // CurlOnDemand's forwarders; exported, the test binary's definitions take them, so
            // CurlOnDemandTests drives URLSession through the code the static glmwb uses.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"], .when(platforms: [.linux]))]
        ),
    ],
    swiftLanguageModes: [.v6]
)
