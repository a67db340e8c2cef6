// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "timeline",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "timeline", targets: ["timeline"]),
    .executable(name: "timeline-bench", targets: ["timeline-bench"]),
    .library(name: "TimelineCore", targets: ["TimelineCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
    // The configuration file is TOML.
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // Pure model: decoding with positioned errors, the indexed Timeline, queries, exports.
    // Foundation only; no terminal code.
    .target(name: "TimelineCore", dependencies: ["CTimelineSupport"]),
    // libc's memmem for the search index (a GNU extension Swift's Glibc module does not import).
    .target(name: "CTimelineSupport"),

    // The bundled Sparks Group case, embedded into the binary at build time (see the plugin for why).
    .target(
      name: "BundledTimeline",
      plugins: ["EmbedResourcesPlugin"]
    ),
    .executableTarget(name: "embed-resources", path: "Sources/EmbedResourcesTool"),
    .plugin(
      name: "EmbedResourcesPlugin",
      capability: .buildTool(),
      dependencies: ["embed-resources"],
      path: "Sources/EmbedResourcesPlugin"
    ),

    // The explorer's logic: state, update, view into a cell buffer. No terminal code.
    .target(name: "TimelineUI", dependencies: ["TimelineCore"]),

    // The terminal backend: the only code that touches ncurses.
    .systemLibrary(name: "CNCursesW", providers: [.apt(["libncursesw5-dev"])]),
    .target(name: "NcursesTerminal", dependencies: ["CNCursesW", "TimelineUI"]),

    .executableTarget(
      name: "timeline",
      dependencies: [
        "TimelineCore",
        "TimelineUI",
        "NcursesTerminal",
        "BundledTimeline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]
    ),

    // Writes the manual page's generated sections from `timeline --experimental-dump-help`
    // (Resources/man/manual.sh; a test keeps the committed page current).
    .executableTarget(name: "timeline-manual", path: "Sources/TimelineManual"),

    // Benchmarks and the synthetic timeline generator.
    .executableTarget(
      name: "timeline-bench",
      dependencies: [
        "TimelineCore",
        "TimelineUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/TimelineBench",
      exclude: ["compare.sh", "first-screen.sh", "MEASUREMENTS.md"]
    ),

    .testTarget(name: "TimelineCoreTests", dependencies: ["TimelineCore", "BundledTimeline"]),
    .testTarget(name: "TimelineCLITests", dependencies: ["TimelineCore"]),
    .testTarget(
      name: "TimelineUITests",
      dependencies: [
        "TimelineUI", "TimelineCore", "BundledTimeline",
        .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
      ],
      exclude: ["Support/generate-width-table.py", "Support/UnicodeData", "__Snapshots__"]
    ),
    // End-to-end tests of the real binary in tmux (installed by .ci/run).
    // TimelineUI for the width rules that the many-scripts test compares the real terminal by.
    .testTarget(name: "TimelineE2ETests", dependencies: ["TimelineUI"]),
  ],
  swiftLanguageModes: [.v6]
)

// The libFuzzer target exists only when asked for (`.ci/fuzz` sets TIMELINE_FUZZ=1 and builds it with
// `--sanitize fuzzer`): it has no `main` of its own, so an ordinary build could not link it.
if Context.environment["TIMELINE_FUZZ"] == "1" {
  package.targets.append(
    .executableTarget(name: "timeline-fuzz", dependencies: ["TimelineCore"], path: "Sources/TimelineFuzz"))
}
