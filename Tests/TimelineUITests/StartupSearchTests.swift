import Testing
import TimelineCore
@testable import TimelineUI

/// Services that answer no search at once, as the explorer's background searcher does on a large
/// timeline: the test answers the requests it recorded when it chooses.
final class DeferringServices: ExplorerServices {
  var requests: [SearchRequest] = []
  var inTmux = false
  func search(_ request: SearchRequest, on timeline: Timeline, previous: SearchResult?) -> SearchResult? {
    requests.append(request)
    return nil
  }
  func reload() {}
  func sendToTerminal(_ bytes: [UInt8]) {}
  func open(_ url: String) -> String? { nil }
  func saveSession(_ session: Session) -> String? { nil }
  func saveHistory(_ history: History) {}
  func redraw() {}
}

/// A search given at launch (`--search`) or restored from the session is asked by `.start`, so that
/// on a large timeline the first screen does not wait for it.
@Suite struct StartupSearchTests {
  let t = Fixtures.bundled

  @Test func aSearchGivenAtLaunchIsAnsweredAfterTheFirstScreen() throws {
    let services = DeferringServices()
    var runtime = Runtime(
      state: AppState(timeline: t, size: Fixtures.large, query: Query(text: "olathe"), searchNow: false), services: services)
    _ = runtime.handle(.start)
    let request = try #require(services.requests.first)
    #expect(services.requests.count == 1)
    // Read without the word index: one search does not pay for building it.
    #expect(request.textSearch == .scan)
    // The first screen: every event listed, the search said to be running.
    #expect(runtime.state.results.count == 57)
    #expect(view(runtime.state).lines[1].contains("filter \"olathe\": searching…"))
    // The answer narrows the list to the match, as `list --search olathe` does.
    _ = runtime.handle(.searchFinished(request.run(on: t, previous: nil)))
    let correa = try #require(t.event(withID: "2020-08-25-correa-arrested"))
    #expect(runtime.state.results == [correa])
    #expect(view(runtime.state).lines[1].contains("filter \"olathe\": match 1 of 1"))
  }

  @Test func answeredAtOnceTheFirstScreenIsTheOneAnInitAnsweringAtOnceDraws() {
    // On a small timeline the services answer `.start` at once: the first screen is as before.
    var runtime = Runtime(
      state: AppState(timeline: t, size: Fixtures.large, query: Query(countries: ["US"], text: "arrest"), searchNow: false),
      services: RecordingServices())
    _ = runtime.handle(.start)
    let atOnce = AppState(timeline: t, size: Fixtures.large, query: Query(countries: ["US"], text: "arrest"))
    #expect(runtime.state.results == atOnce.results)
    #expect(runtime.state.search == atOnce.search)
    #expect(view(runtime.state).text == view(atOnce).text)
  }

  @Test func aSearchTypedBeforeTheAnswerWins() throws {
    let services = DeferringServices()
    var runtime = Runtime(
      state: AppState(timeline: t, size: Fixtures.large, query: Query(text: "olathe"), searchNow: false), services: services)
    _ = runtime.handle(.start)
    for action in ["/", "c-u", "text:correa", "enter"].flatMap(keyActions) { _ = runtime.handle(action) }
    #expect(services.requests.count > 1)
    let first = services.requests[0]
    // The launch's answer comes late: it is not shown over the newer search.
    _ = runtime.handle(.searchFinished(first.run(on: t, previous: nil)))
    #expect(runtime.state.search?.text == "correa")
    #expect(runtime.state.search?.pending == true)
    let last = try #require(services.requests.last)
    _ = runtime.handle(.searchFinished(last.run(on: t, previous: nil)))
    #expect(runtime.state.search?.pending == false)
    #expect(runtime.state.search?.matches.array == t.evaluate(Query(text: "correa"), textSearch: .scan))
  }

  @Test func aRestoredSearchKeepsTheSelectedEventWhileItRunsAndAfter() throws {
    var h = Harness()
    h.press("c", "text:united states", "enter", "/", "text:arrest", "enter", "&", "j", "j")
    let saved = h.state.session()
    #expect(saved.search?.filters == true)
    let selected = try #require(h.state.selectedID)

    let services = DeferringServices()
    var fresh = AppState(timeline: t, size: Fixtures.large)
    let said = fresh.restore(saved, searchNow: false)
    #expect(said.hasPrefix("session restored: 1 filter, search as a filter \"arrest\""))
    var runtime = Runtime(state: fresh, services: services)
    _ = runtime.handle(.start)
    let request = try #require(services.requests.first)
    // Meanwhile the country filter's events are listed, with the saved event selected.
    #expect(runtime.state.results == t.evaluate(Query(countries: ["US"])))
    #expect(runtime.state.selectedID == selected)
    #expect(view(runtime.state).lines[1].contains("searching…"))
    _ = runtime.handle(.searchFinished(request.run(on: t, previous: nil)))
    #expect(runtime.state.results == h.state.results)
    #expect(runtime.state.selectedID == selected)
    // The screen is the one left (but for the footer, whose "u undo" the restored state has no use for).
    #expect(view(runtime.state).lines.dropLast() == view(h.state).lines.dropLast())
  }
}
