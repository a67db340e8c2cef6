import ArgumentParser
import Foundation
import TimelineCore

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run", abstract: "Measure load, facet toggle, search keystroke and frame.")

  @Option(help: "Event counts, comma-separated.") var events = "10000,100000,1000000"
  @Option(help: "Only load this file (prints the load timings).") var file: String?
  @Option(help: "Loading threads.") var threads = 2

  func run() throws {
    if let file {
      var t = TimelineLoader.Timings()
      let start = Date()
      let timeline = try TimelineLoader.load(path: file, options: .init(threads: threads), timings: &t)
      print("events \(timeline.count) total \(Date().timeIntervalSince(start)) parse \(t.parse) resolve \(t.resolve) sort \(t.sort) index \(t.index) path \(t.path)")
    }
  }
}
