import Testing
import TimelineUI

@Suite("Control sequences")
struct ControlSequenceTests {
  @Test("OSC 52 carries the text in base64, exactly")
  func clipboard() {
    #expect(ControlSequence.clipboard("https://example.org/a?b=c") == Array("\u{1B}]52;c;aHR0cHM6Ly9leGFtcGxlLm9yZy9hP2I9Yw==\u{07}".utf8))
    // Text from a data file cannot end the sequence early: escapes and BEL are inside the base64.
    #expect(ControlSequence.clipboard("é\u{1B}]0;x\u{07}") == Array("\u{1B}]52;c;w6kbXTA7eAc=\u{07}".utf8))
    #expect(ControlSequence.clipboard("") == Array("\u{1B}]52;c;\u{07}".utf8))
  }

  @Test("inside tmux, the sequence is also sent through tmux's passthrough with its escapes doubled")
  func clipboardInTmux() {
    let plain = Array("\u{1B}]52;c;aWQ=\u{07}".utf8)
    #expect(ControlSequence.clipboard("id", inTmux: true) == plain + Array("\u{1B}Ptmux;\u{1B}\u{1B}]52;c;aWQ=\u{07}\u{1B}\\".utf8))
  }

  @Test("OSC 8 links keep only printable ASCII in the address")
  func hyperlinks() {
    #expect(ControlSequence.hyperlinkStart("https://ex.org/é x\u{1B}") == Array("\u{1B}]8;;https://ex.org/%C3%A9%20x%1B\u{1B}\\".utf8))
    #expect(ControlSequence.hyperlinkEnd == Array("\u{1B}]8;;\u{1B}\\".utf8))
  }
}
