import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a finished process left behind.
struct RunResult: Sendable, CustomStringConvertible {
  var status: Int32
  var stdout: String
  var stderr: String

  var description: String { "exit \(status)\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)" }

  /// The lines of standard output / standard error, without their line ends.
  var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
  var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
}

extension Array where Element == String {
  fileprivate func dropLastIfEmpty() -> [String] { last == "" ? Array(dropLast()) : self }
}

/// The package being tested, found from this file's path (Tests/TimelineCLITests/Support/CLI.swift).
enum Package {
  static let root: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
      dir = dir.deletingLastPathComponent()
    }
    fatalError("Package.swift not found above \(#filePath)")
  }()

  static var bundledCase: URL { root.appendingPathComponent("Resources/sparks-group.json") }
  static var schema: URL { root.appendingPathComponent("Resources/timeline.schema.json") }
}

/// Where the `timeline` executable is: next to the test runner, in the same build products directory
/// (`<scratch>/debug/`), whatever scratch path the tests were built with. `TIMELINE_BINARY` overrides it.
enum TimelineBinary {
  static let lookup: (url: URL?, searched: [String]) = locate()

  static var url: URL? { lookup.url }

  private static func locate() -> (URL?, [String]) {
    let fm = FileManager.default
    if let override = ProcessInfo.processInfo.environment["TIMELINE_BINARY"], !override.isEmpty {
      return (fm.isExecutableFile(atPath: override) ? URL(fileURLWithPath: override) : nil, [override])
    }
    // The running test executable (Linux: <products>/timelinePackageTests.xctest), and any loaded
    // .xctest bundle (macOS: <products>/timelinePackageTests.xctest/Contents/MacOS/...).
    var anchors: [URL] = []
    if let exe = Bundle.main.executableURL { anchors.append(exe) }
    #if os(Linux)
      if let self_ = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") { anchors.append(URL(fileURLWithPath: self_)) }
    #endif
    if let arg0 = CommandLine.arguments.first, !arg0.isEmpty {
      anchors.append(URL(fileURLWithPath: arg0, relativeTo: URL(fileURLWithPath: fm.currentDirectoryPath)))
    }
    anchors += Bundle.allBundles.map(\.bundleURL)

    var directories: [URL] = []
    for anchor in anchors {
      for url in [anchor.standardizedFileURL, anchor.resolvingSymlinksInPath()] {
        // The directory holding the .xctest (bundle or executable), else the executable's own directory.
        var bundle = url
        while bundle.path != "/" && bundle.pathExtension != "xctest" { bundle = bundle.deletingLastPathComponent() }
        let dir = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : url.deletingLastPathComponent()
        if !directories.contains(dir) { directories.append(dir) }
      }
    }
    let searched = directories.map { $0.appendingPathComponent("timeline").path }
    for path in searched {
      var isDirectory: ObjCBool = false
      if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, fm.isExecutableFile(atPath: path) {
        return (URL(fileURLWithPath: path), searched)
      }
    }
    return (nil, searched)
  }
}

/// Runs the built `timeline` with these arguments. Standard output and standard error are pipes (read
/// at the same time, so a large output cannot deadlock); `env` adds to the inherited environment. The
/// user's configuration file is not read unless `env` says where configuration comes from.
func run(
  _ args: [String], stdin: String? = nil, env: [String: String] = [:], in directory: URL? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) -> RunResult {
  var env = env
  if env["TIMELINE_CONFIG"] == nil && env["XDG_CONFIG_HOME"] == nil && env["HOME"] == nil { env["TIMELINE_CONFIG"] = "" }
  guard let binary = TimelineBinary.url else {
    Issue.record(
      """
      The timeline executable was not found next to the test runner. Looked for:
        \(TimelineBinary.lookup.searched.joined(separator: "\n  "))
      Build it with the tests (swift build --build-tests --scratch-path ...), or set TIMELINE_BINARY.
      """, sourceLocation: sourceLocation)
    return RunResult(status: -1, stdout: "", stderr: "")
  }
  return runProcess(binary, args, stdin: stdin, env: env, in: directory, sourceLocation: sourceLocation)
}

/// Runs any executable the same way (used for python3).
func runProcess(
  _ executable: URL, _ args: [String], stdin: String? = nil, env: [String: String] = [:], in directory: URL? = nil,
  timeout: TimeInterval = 120, sourceLocation: SourceLocation = #_sourceLocation
) -> RunResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = args
  process.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
  if let directory { process.currentDirectoryURL = directory }

  let outPipe = Pipe()
  let errPipe = Pipe()
  let inPipe = stdin.map { _ in Pipe() }
  process.standardOutput = outPipe
  process.standardError = errPipe
  process.standardInput = inPipe ?? FileHandle.nullDevice

  do {
    try process.run()
  } catch {
    Issue.record("cannot start \(executable.path): \(error)", sourceLocation: sourceLocation)
    return RunResult(status: -1, stdout: "", stderr: "")
  }

  let group = DispatchGroup()
  let errData = Locked(Data())
  let errHandle = errPipe.fileHandleForReading
  DispatchQueue.global().async(group: group) { errData.set(errHandle.readDataToEndOfFile()) }
  if let inPipe, let stdin {
    // A child that exits without reading its input would otherwise kill the whole test process with SIGPIPE
    // (CI saw exactly that); ignored, the write fails with EPIPE instead, which is not our concern.
    signal(SIGPIPE, SIG_IGN)
    let writer = inPipe.fileHandleForWriting
    let bytes = Data(stdin.utf8)
    DispatchQueue.global().async(group: group) {
      try? writer.write(contentsOf: bytes)
      try? writer.close()
    }
  }
  // A hung child fails the test instead of hanging the whole run.
  let timedOut = Locked(false)
  let watchdog = DispatchWorkItem {
    if process.isRunning {
      timedOut.set(true)
      process.terminate()
    }
  }
  DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)

  let out = outPipe.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  watchdog.cancel()
  if timedOut.value {
    Issue.record(
      "\(executable.lastPathComponent) \(args) did not finish within \(Int(timeout)) s", sourceLocation: sourceLocation)
  }
  // A death by signal reads like a shell's $?: 128 + the signal number.
  let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
  return RunResult(
    status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: errData.value, as: UTF8.self))
}

/// A value shared with a Dispatch thread.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value
  init(_ value: Value) { stored = value }
  var value: Value { lock.withLock { stored } }
  func set(_ value: Value) { lock.withLock { stored = value } }
}

// MARK: - Temporary files

/// A fresh directory for one test, removed when the body returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let dir = FileManager.default.temporaryDirectory
    .appendingPathComponent("timeline-cli-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  return try body(dir)
}

/// Writes `contents` to `name` in `directory` and returns its path.
@discardableResult
func writeFile(_ name: String, _ contents: String, in directory: URL) throws -> String {
  let url = directory.appendingPathComponent(name)
  try Data(contents.utf8).write(to: url)
  return url.path
}

// MARK: - Python with jsonschema

/// Whether `python3 -c "import jsonschema"` works here.
let pythonHasJsonschema: Bool = {
  let env = URL(fileURLWithPath: "/usr/bin/env")
  guard FileManager.default.isExecutableFile(atPath: env.path) else { return false }
  let p = Process()
  p.executableURL = env
  p.arguments = ["python3", "-c", "import jsonschema"]
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  guard (try? p.run()) != nil else { return false }
  p.waitUntilExit()
  return p.terminationReason == .exit && p.terminationStatus == 0
}()

func python3(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) -> RunResult {
  runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + args, sourceLocation: sourceLocation)
}

// MARK: - Text helpers

/// The 1-based line and column (in Unicode scalars) where `needle` first occurs in `text`.
func position(of needle: String, in text: String) -> (line: Int, column: Int)? {
  guard let range = text.range(of: needle) else { return nil }
  let before = text[..<range.lowerBound]
  let line = before.filter { $0 == "\n" }.count + 1
  let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
  return (line, before[lineStart...].unicodeScalars.count + 1)
}
