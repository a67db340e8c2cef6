import CNCursesW
import Synchronization
import TimelineUI

#if canImport(Glibc)
  import Glibc
#endif

/// Whether curses owns the terminal; read by the signal handlers, so it must be lock-free.
private let cursesActive = Atomic<Bool>(false)
/// Set by the SIGTSTP handler once the process runs again after a suspension (Ctrl-Z, then `fg`).
private let resumed = Atomic<Bool>(false)
/// The terminal's "clear screen" sequence, when it has no alternate screen (the signal handlers clear
/// the screen on the way out, so that the prompt does not land on the last frame's footer).
nonisolated(unsafe) private var clearOnExit: [UInt8] = []

/// The bytes of a frame, gathered before one write. ncurses' output callbacks (`tputs`, `vid_puts`) take
/// a C function that cannot capture anything, so they append here; only the drawing thread uses it.
nonisolated(unsafe) private var frameBytes: [UInt8] = []
private let appendToFrame: @convention(c) (Int32) -> Int32 = { byte in
  frameBytes.append(UInt8(truncatingIfNeeded: byte))
  return byte
}

/// On a terminal without an alternate screen (`TERM=linux`, `vt100`) the last frame would stay, and the
/// shell's prompt land on its footer: clear it. Only write(2), so the signal handlers may call it.
private func clearAfterEndwin() {
  guard !clearOnExit.isEmpty else { return }
  clearOnExit.withUnsafeBufferPointer { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

/// How SIGTSTP is handled (installed again after each suspension), without SA_RESTART so that the
/// key read is interrupted when the process runs again.
nonisolated(unsafe) private var suspendAction = sigaction()
private func installSuspendHandler() {
  sigemptyset(&suspendAction.sa_mask)
  suspendAction.sa_flags = 0
  sigaction(SIGTSTP, &suspendAction, nil)
}

/// The only code that talks to ncurses: it sets the terminal up and always puts it back, turns input
/// into `Action`s and copies `Buffer`s to the screen, writing only the cells that changed.
///
/// ncurses sets the terminal up, reads keys and restores the terminal, but the cells are written here,
/// with the terminal's own sequences (terminfo's `cup`, and ncurses' `vid_puts` for attributes and
/// colours): ncurses places characters by the C library's `wcwidth` (Unicode 14 here), keeps at most five
/// scalars a cell and moves the cursor relative to where it believes it is. Writing ourselves, every
/// cluster goes out whole, and after a cluster that the terminal may draw in other columns than the
/// buffer gives it (`TerminalText.isSettled`), its columns are blanked first and the cursor is placed
/// explicitly before the next cell, so nothing after it moves.
///
/// Not thread-safe (ncurses is not): use it from one thread.
public final class NcursesTerminal {
  public struct Options: Sendable {
    public var colors: Bool
    public var mouse: Bool
    /// Whether to send the buffer's links as OSC 8 hyperlinks.
    public var hyperlinks: Bool
    public init(colors: Bool, mouse: Bool, hyperlinks: Bool = false) {
      self.colors = colors
      self.mouse = mouse
      self.hyperlinks = hyperlinks
    }
  }

  /// What the terminal named by `TERM` allows, found before taking it over.
  public enum Capability: Equatable, Sendable {
    case usable
    /// A terminal that cannot move the cursor (`TERM=dumb`, a hardcopy terminal): no screen to draw on.
    case cannotAddressCursor(term: String)
    /// `TERM` is unset, or names no terminal described on this system.
    case unknown(term: String?)
  }

  /// Looks `TERM` up in the terminfo database without writing anything to the terminal.
  public static func capability() -> Capability {
    let term = getenv("TERM").map { String(cString: $0) }
    guard let term, !term.isEmpty else { return .unknown(term: nil) }
    switch cn_check_terminal(STDOUT_FILENO) {
    case 1: return .usable
    case 0: return .cannotAddressCursor(term: term)
    default: return .unknown(term: term)
    }
  }

  private var screen: OpaquePointer?
  private var inputFD: Int32 = STDIN_FILENO
  private var previous: Buffer?
  private var forceFull = false
  private let colors: Bool
  private let hyperlinks: Bool
  private let sixteenColors: Bool
  private var pairs: [Int16: Int16] = [:]
  /// Whether the locale's character set is UTF-8; if not, cells are drawn in ASCII.
  private let utf8: Bool
  private let cursorAddress: UnsafePointer<CChar>
  private let clearScreen: UnsafePointer<CChar>?
  /// Whether writing the bottom-right cell would scroll the screen (automatic margins without the
  /// xterm-style delayed wrap).
  private let bottomRightScrolls: Bool
  private var cursorShown: Int32 = -1

  /// Takes over the terminal. Keys are read from standard input when it is a terminal, otherwise from
  /// `/dev/tty` (as `less` and `fzf` do), so `cmd | timeline --data /dev/stdin` style use still gets keys.
  public init(options: Options) throws(TerminalError) {
    // The user's locale says what the terminal can show: UTF-8, or (LC_ALL=C, LANG=POSIX) only ASCII.
    setlocale(LC_ALL, "")
    utf8 = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    switch Self.capability() {
    case .usable: break
    case .cannotAddressCursor(let term): throw TerminalError(message: "TERM=\(term) cannot move the cursor")
    case .unknown(let term):
      throw TerminalError(message: term.map { "TERM=\($0) is not a terminal described on this system" } ?? "TERM is not set")
    }
    Self.installSignalHandlers()

    let inputFD: Int32
    if isatty(STDIN_FILENO) != 0 {
      inputFD = STDIN_FILENO
    } else {
      inputFD = open("/dev/tty", O_RDWR | O_CLOEXEC)
      if inputFD < 0 { throw TerminalError(message: "standard input is not a terminal and /dev/tty cannot be opened") }
    }
    guard isatty(STDOUT_FILENO) != 0 else { throw TerminalError(message: "standard output is not a terminal") }
    self.inputFD = inputFD
    guard let input = cn_fdopen(inputFD, "r"), let output = cn_fdopen(STDOUT_FILENO, "w") else {
      throw TerminalError(message: "cannot open the terminal")
    }
    guard let s = newterm(nil, output, input) else {
      throw TerminalError(message: "cannot start the terminal interface (is TERM set to a known terminal?)")
    }
    guard let cup = cn_tigetstr("cup") else {
      delscreen(s)
      throw TerminalError(message: "the terminal cannot move the cursor")
    }
    cursorAddress = cup
    clearScreen = cn_tigetstr("clear")
    bottomRightScrolls = tigetflag("am") > 0 && tigetflag("xenl") <= 0
    if cn_tigetstr("smcup") == nil, let clear = clearScreen {
      // Through tputs: padding such as vt100's "$<50>" is not for the terminal to print.
      frameBytes.removeAll()
      tputs(clear, 1, appendToFrame)
      clearOnExit = frameBytes
    }
    screen = s
    set_term(s)
    cursesActive.store(true, ordering: .sequentiallyConsistent)
    atexit { NcursesTerminal.restore() }

    cbreak()
    noecho()
    nonl()
    intrflush(cn_stdscr(), false)
    keypad(cn_stdscr(), true)
    // Esc must act at once; ncurses' default waits a whole second for an escape sequence.
    if getenv("ESCDELAY") == nil { set_escdelay(25) }
    if options.mouse {
      var old: mmask_t = 0
      mousemask(cn_mouse_mask(), &old)
      mouseinterval(0)
    }
    var useColors = false
    if options.colors && has_colors() {
      start_color()
      use_default_colors()
      useColors = true
    }
    colors = useColors
    hyperlinks = options.hyperlinks
    sixteenColors = useColors && cn_colors() >= 16
    // ncurses' first refresh enters the alternate screen and clears it; stdscr is never written after
    // that, so ncurses' own refreshes (before each key is read) have nothing to draw.
    refresh()
  }

  /// Puts the terminal back (normal screen, echo, canonical mode). Safe to call more than once.
  public static func restore() {
    if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
      endwin()
      clearAfterEndwin()
    }
  }

  public func shutdown() {
    Self.restore()
    if let s = screen {
      delscreen(s)
      screen = nil
    }
  }

  deinit { shutdown() }

  /// Restores the terminal before the process dies of a signal, then dies of it, so the exit status
  /// stays the conventional one (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP) and a crash does not
  /// leave the terminal in raw mode on the alternate screen.
  private static func installSignalHandlers() {
    _ = cursesActive.load(ordering: .relaxed)
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] {
      signal(sig) { s in
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
          endwin()
          clearAfterEndwin()
        }
        signal(s, SIG_DFL)
        raise(s)
      }
    }
    // Ctrl-Z: ncurses' own handler would repaint its idea of the screen on `fg`, which is blank (the
    // cells are written here), so suspension is handled here: restore the terminal, stop, and on
    // resumption interrupt the key read (no SA_RESTART) so that the loop redraws everything.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      let active = cursesActive.load(ordering: .sequentiallyConsistent)
      if active { endwin() }
      signal(SIGTSTP, SIG_DFL)
      var mask = sigset_t()
      sigemptyset(&mask)
      sigaddset(&mask, SIGTSTP)
      sigprocmask(SIG_UNBLOCK, &mask, nil)
      raise(SIGTSTP)
      // Stopped here until SIGCONT.
      installSuspendHandler()
      if active { resumed.store(true, ordering: .sequentiallyConsistent) }
    }
    suspendAction = action
    installSuspendHandler()
  }



  public var size: Size { Size(width: Int(getmaxx(cn_stdscr())), height: Int(getmaxy(cn_stdscr()))) }

  /// Makes the next `draw` repaint everything (Ctrl-L).
  public func invalidate() {
    forceFull = true
  }

  /// Brings the screen up to date with `buffer`: the changed cells, written in one go.
  public func draw(_ buffer: Buffer) {
    frameBytes.removeAll(keepingCapacity: true)
    if forceFull || previous?.size != buffer.size {
      if let clear = clearScreen { tputs(clear, 1, appendToFrame) }
      previous = nil
      forceFull = false
    }
    let width = buffer.size.width
    let lastRow = buffer.size.height - 1
    var style: Style?
    var placed = false
    // OSC 8: each cell of a link is written inside the link's sequences, so the terminal keeps the
    // link with the cell; a cell written again outside any link loses it.
    let links = hyperlinks ? buffer.links : []
    var openLink: String?
    func link(at x: Int, _ y: Int) -> String? {
      links.first { $0.y == y && x >= $0.x && x < $0.x + $0.width }?.url
    }
    /// Writes the cluster of the cell at (x, y); returns the column up to which the cells after it must
    /// be written again (a terminal that draws it wider than the buffer does, ZWJ emoji as several
    /// people, draws over them), or x + its columns.
    func emit(_ cell: Cell, x: Int, y: Int) -> Int {
      let columns = max(1, cell.columns)
      // The bottom-right cell would scroll a terminal with automatic margins and no delayed wrap.
      if bottomRightScrolls && y == lastRow && x + columns >= width {
        placed = false
        return x + columns
      }
      if !placed {
        moveTo(y, x)
        placed = true
      }
      if !links.isEmpty || openLink != nil {
        let url = link(at: x, y)
        if url != openLink {
          if openLink != nil { frameBytes += ControlSequence.hyperlinkEnd }
          if let url { frameBytes += ControlSequence.hyperlinkStart(url) }
          openLink = url
        }
      }
      if style != cell.style {
        style = cell.style
        let (attrs, pair) = attributes(cell.style)
        vid_puts(attrs, pair, nil, appendToFrame)
      }
      if !utf8 {
        frameBytes += TerminalText.ascii(cell)
        return x + columns
      }
      if cell.withUTF8({ $0.count == 1 }) {
        cell.withUTF8 { frameBytes.append(contentsOf: $0) }
        return x + columns
      }
      let scalars = cell.text.unicodeScalars
      if TerminalText.isSettled(scalars, columns: columns, hostWidth: Self.hostWidth) {
        cell.withUTF8 { frameBytes.append(contentsOf: $0) }
        return x + columns
      }
      // Blank the cluster's columns, draw it from its first column, and place the cursor where the next
      // cell begins, whatever width the terminal gave it.
      frameBytes += repeatElement(UInt8(ascii: " "), count: min(columns, width - x))
      moveTo(y, x)
      cell.withUTF8 { frameBytes.append(contentsOf: $0) }
      placed = false
      // The widest a terminal may draw it: each scalar on its own (unknown ones as two columns).
      let widest = scalars.reduce(0) { $0 + (Self.hostWidth($1) < 0 ? 2 : Self.hostWidth($1)) }
      return x + max(columns, widest)
    }
    var runs = buffer.changes(since: previous)
    // Links that came or went over cells that did not change: those cells are written again.
    if hyperlinks, let previous, previous.links != buffer.links {
      for l in Set(previous.links).symmetricDifference(buffer.links) where l.y < buffer.size.height {
        let start = max(0, min(l.x, width - 1))
        let end = min(width, l.x + l.width)
        if start < end { runs.append((start, l.y, buffer.cells[(l.y * width + start)..<(l.y * width + end)])) }
      }
    }
    for run in runs {
      var x = run.x
      var reach = x
      placed = false
      for cell in run.cells {
        if !cell.isContinuation { reach = max(reach, emit(cell, x: x, y: run.y)) }
        x += 1
      }
      // Cells that did not change but that a wider drawing may have covered: written again.
      while x < min(reach, width) {
        let cell = buffer[x, run.y]
        if !cell.isContinuation { reach = max(reach, emit(cell, x: x, y: run.y)) }
        x += 1
      }
    }
    if openLink != nil { frameBytes += ControlSequence.hyperlinkEnd }
    // Attributes back to normal, as ncurses leaves them after each refresh.
    if style != nil { vid_puts(cn_a_normal(), 0, nil, appendToFrame) }
    if let c = buffer.cursor { moveTo(c.y, c.x) }
    Self.writeWhole(frameBytes)
    // ncurses writes (and flushes) the cursor's visibility itself, and remembers to restore it at exit.
    let shown: Int32 = buffer.cursor == nil ? 0 : 1
    if shown != cursorShown {
      curs_set(shown)
      cursorShown = shown
    }
    previous = buffer
  }

  /// Writes control bytes (the clipboard's OSC 52) straight to the terminal between two frames: they
  /// draw nothing and move no cursor.
  public func send(_ bytes: [UInt8]) { Self.writeWhole(bytes) }

  /// Writes bytes to the terminal with Ctrl-Z held off until they are all out: stopped half-way, the
  /// terminal would be left inside a sequence, and an OSC string (a hyperlink, the clipboard) swallows
  /// what follows until its end, the shell's "Stopped" line included.
  private static func writeWhole(_ bytes: [UInt8]) {
    var hold = sigset_t()
    var previous = sigset_t()
    sigemptyset(&hold)
    sigaddset(&hold, SIGTSTP)
    pthread_sigmask(SIG_BLOCK, &hold, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    bytes.withUnsafeBufferPointer { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += n
      }
    }
  }

  private func moveTo(_ y: Int, _ x: Int) {
    tputs(cn_tiparm2(cursorAddress, Int32(y), Int32(x)), 1, appendToFrame)
  }

  /// The C library's width of a scalar, which ncurses and terminals on this machine go by.
  private static func hostWidth(_ s: Unicode.Scalar) -> Int { Int(cn_wcwidth(wchar_t(bitPattern: s.value))) }

  private func attributes(_ style: Style) -> (attr_t, Int16) {
    let style = style.forTerminal(colors: sixteenColors ? 16 : 8)
    var a = cn_a_normal()
    if style.bold { a |= cn_a_bold() }
    if style.dim { a |= cn_a_dim() }
    if style.underline { a |= cn_a_underline() }
    if style.reverse { a |= cn_a_reverse() }
    guard colors, style.foreground != nil || style.background != nil else { return (a, 0) }
    // A pair per foreground and background in use (-1: the terminal's own; a configuration file may
    // give roles a background).
    let fg = style.foreground.map { Int16($0.rawValue) } ?? -1
    let bg = style.background.map { Int16($0.rawValue) } ?? -1
    let code = (fg + 1) * 17 + (bg + 1)
    if let p = pairs[code] { return (a, p) }
    let p = Int16(pairs.count + 1)
    guard Int32(p) < cn_color_pairs() else { return (a, 0) }
    init_pair(p, fg, bg)
    pairs[code] = p
    return (a, p)
  }

  /// Waits up to `timeoutMilliseconds` (or forever when negative) for input and decodes it.
  public func nextAction(timeoutMilliseconds: Int32) -> Action? {
    var ch: wint_t = 0
    var rc: Int32
    repeat {
      if resumed.exchange(false, ordering: .sequentiallyConsistent) {
        // Back from Ctrl-Z: ncurses restores the program's terminal modes and the alternate screen on
        // its next refresh, then everything is drawn again.
        refresh()
        invalidate()
        return .resized(size)
      }
      // Waiting forever is waiting half a second at a time: the signal of a suspension interrupts a
      // read already waiting, but not one that starts just after it (Ctrl-Z while a frame was drawn).
      timeout(timeoutMilliseconds < 0 ? 500 : timeoutMilliseconds)
      rc = get_wch(&ch)
      // After a timeout too: the explorer waits in short steps while it watches its data file, and
      // must still end when its terminal is gone.
      if rc == ERR && inputHungUp() { Self.terminalHungUp() }
    } while rc == ERR && (timeoutMilliseconds < 0 || resumed.load(ordering: .sequentiallyConsistent))
    if rc == ERR { return nil }
    if rc == KEY_CODE_YES {
      if Int32(ch) == KEY_RESIZE {
        // ncurses has resized its (blank) screen and would repaint it before the next key is read,
        // over the new frame: let it do so now, then draw everything.
        refresh()
        invalidate()
      }
      return keyCodeAction(Int32(ch))
    }
    guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
    switch scalar.value {
    case 27: return .key(.escape)
    case 13, 10: return .key(.enter)
    case 9: return .key(.tab)
    case 127, 8: return .key(.backspace)
    case 1...26: return .key(.ctrl(Character(Unicode.Scalar(scalar.value + 96)!)))
    case 0..<32: return nil
    default: return .key(.char(Character(scalar)))
    }
  }

  /// Whether the terminal we read keys from has gone away (closed or hung up). A blocking read then
  /// fails at once, every time.
  private func inputHungUp() -> Bool {
    var p = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
    guard poll(&p, 1, 0) >= 0 else { return false }
    return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
  }

  /// The terminal went away but no SIGHUP came (the kernel sends it only to the session leader, and a
  /// shell that traps it does not pass it on): end as SIGHUP would, instead of spinning on failed reads.
  private static func terminalHungUp() -> Never {
    raise(SIGHUP)
    // SIGHUP blocked or ignored: end anyway, with the status it would have given.
    restore()
    exit(128 + SIGHUP)
  }

  private func keyCodeAction(_ code: Int32) -> Action? {
    switch code {
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_ENTER: return .key(.enter)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_BTAB: return .key(.backTab)
    case KEY_RESIZE: return .resized(size)
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let x = Int(event.x)
      let y = Int(event.y)
      // Ctrl or Alt with the wheel zooms the timeline, where the terminal passes them on (many keep
      // Ctrl and Shift with the wheel for their own zoom and scrollback).
      var modifiers: MouseEvent.Modifiers = []
      if event.bstate & cn_button_shift() != 0 { modifiers.insert(.shift) }
      if event.bstate & cn_button_ctrl() != 0 { modifiers.insert(.control) }
      if event.bstate & cn_button_alt() != 0 { modifiers.insert(.alt) }
      if event.bstate & cn_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y, modifiers: modifiers)) }
      if event.bstate & cn_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y, modifiers: modifiers)) }
      if event.bstate & cn_button1_pressed() != 0 { return .mouse(MouseEvent(.press, x: x, y: y)) }
      // The release, where the button was let go: a drag on the time strip sets a date range.
      if event.bstate & cn_button1_released() != 0 { return .mouse(MouseEvent(.release, x: x, y: y)) }
      return nil
    default:
      if code >= KEY_F0 && code <= KEY_F0 + 63 { return .key(.function(Int(code - KEY_F0))) }
      return nil
    }
  }
}

public struct TerminalError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
