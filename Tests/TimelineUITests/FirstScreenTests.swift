import Testing
import TimelineCore

@testable import TimelineUI

/// What the first screen shows that could be computed less eagerly at ten million events: the footer's
/// picker hints, answered from what the load built (`Timeline.hasUsedValues`) instead of the facets'
/// value lists, must offer exactly the pickers that have something to pick.
@Suite("First screen")
struct FirstScreenTests {
  /// A timeline whose events carry no country, person or tag, with one era that none of them meets
  /// (`eventsMeetEra: false`), or one that only an event begun before it reaches into.
  static func timeline(eventsMeetEra: Bool) throws -> Timeline {
    let events = eventsMeetEra
      ? #"""
        {"id": "long", "date": "2019-01", "end": "2019-12", "title": "A long event", "confidence": "confirmed", "sources": ["s"]},
        {"id": "short", "date": "2019-02-03", "title": "A short one", "confidence": "reported", "sources": ["s"]},
        {"id": "later", "date": "2019-09-10", "title": "A later one", "confidence": "reported", "sources": ["s"]}
        """#
      : #"""
        {"id": "early", "date": "2019-01", "end": "2019-02", "title": "An early event", "confidence": "confirmed", "sources": ["s"]},
        {"id": "later", "date": "2019-06-10", "title": "A later one", "confidence": "reported", "sources": ["s"]}
        """#
    let json = #"""
      {"title": "Facets", "description": "d",
       "sources": [{"id": "s", "title": "t", "publisher": "p", "date": "2020", "language": "en"}],
       "eras": [{"id": "spring", "title": "Spring", "start": "2019-03", "end": "2019-05"}],
       "events": [
      """# + events + "]}"
    return try TimelineDecoder.decode(Array(json.utf8), fileName: "facets.json")
  }

  static func footer(_ t: Timeline) -> String {
    view(AppState(timeline: t, size: Fixtures.large)).lines.last ?? ""
  }

  @Test func theFooterOffersOnlyPickersWithValues() throws {
    let unmet = Self.footer(try Self.timeline(eventsMeetEra: false))
    #expect(unmet.contains("o confidence") && unmet.contains("s source"), "\(unmet)")
    for absent in ["c country", "p person", "t tag", "e era"] { #expect(!unmet.contains(absent), "\(absent): \(unmet)") }
    // The era is met only by the event that started in January and lasts the year.
    let met = Self.footer(try Self.timeline(eventsMeetEra: true))
    #expect(met.contains("e era") && met.contains("o confidence") && met.contains("s source"), "\(met)")
    let bundled = Self.footer(Fixtures.bundled)
    for hint in ["c country", "p person", "t tag", "o confidence", "e era", "s source"] { #expect(bundled.contains(hint), "\(hint): \(bundled)") }
  }

  @Test func whetherAFacetHasValuesAgreesWithItsValues() throws {
    let empty = try TimelineDecoder.decode(
      Array(#"{"title": "Empty", "description": "d", "sources": [{"id": "s", "title": "t", "publisher": "p", "date": "2020", "language": "en"}], "eras": [{"id": "all", "title": "All", "start": "1900", "end": "2100"}], "events": []}"#.utf8),
      fileName: "empty.json")
    for t in [try Self.timeline(eventsMeetEra: false), try Self.timeline(eventsMeetEra: true), Fixtures.bundled, Fixtures.tiny, empty] {
      for facet in Facet.allCases {
        #expect(t.hasUsedValues(facet) == !t.usedValues(facet).isEmpty, "\(t.title): \(facet)")
      }
    }
  }
}
