import ArgumentParser
import Foundation
import TimelineCore
import TimelineUI

/// `timeline-bench keystrokes --file F`: only the search keystrokes of `run` ("serveu" typed five times,
/// each letter narrowing the last answer, the matches among the listed events, a 200×60 frame), each
/// letter's median, for profiling the word index's queries.
struct KeystrokesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "keystrokes", abstract: "Time the search keystrokes of run.", shouldDisplay: false)
  @Option var file: String
  @Option var word = "serveu"
  @Option var count = 5

  func run() throws {
    let tl = try TimelineLoader.load(path: file)
    _ = tl.searchIndex
    let state = AppState(timeline: tl, size: Size(width: 200, height: 60))
    var screen = Buffer(size: state.size)
    let letters = Array(word)
    var samples = [[Double]](repeating: [], count: letters.count)
    for _ in 0..<count {
      for (k, t) in RunCommand.typeSearch(letters, from: state, on: tl, screen: &screen).seconds.enumerated() { samples[k].append(t) }
    }
    let all = samples.flatMap { $0 }.sorted()
    for (k, c) in letters.enumerated() {
      print(String(format: "%@: median %.2f ms", String(c), RunCommand.percentile(samples[k].sorted(), 0.5) * 1000))
    }
    print(String(format: "all %d: median %.2f ms, p95 %.2f ms", all.count, RunCommand.percentile(all, 0.5) * 1000, RunCommand.percentile(all, 0.95) * 1000))
  }
}
