struct RunCommand: ParsableCommand { func run() throws {} }
import ArgumentParser
