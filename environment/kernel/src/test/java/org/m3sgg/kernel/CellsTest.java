package org.m3sgg.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One JShell session for the whole class (building one takes seconds); the tests share its definitions. */
class CellsTest {

    private static Cells cells;

    @BeforeAll
    static void start() {
        PrintStream out = new PrintStream(PrintStream.nullOutputStream());
        cells = new Cells(List.of(), List.of(), M3sggKernel.startupScripts(), new ByteArrayInputStream(new byte[0]),
                out, out, 300);
        cells.warmUp();
    }

    @AfterAll
    static void stop() {
        cells.close();
    }

    private static Object value(String code) throws CellError {
        Cells.Value v = cell(code);
        assertTrue(v.present(), code);
        return v.value();
    }

    /** One cell, as the kernel runs it. */
    private static Cells.Value cell(String code) throws CellError {
        cells.beforeCell();
        try {
            return cells.eval(code);
        } finally {
            cells.afterCell();
        }
    }

    /** Runs a cell on another thread, interrupts it after a moment, returns how it ended. */
    private static CellError interrupted(String code) throws Exception {
        CompletableFuture<CellError> run = CompletableFuture.supplyAsync(() -> {
            try {
                cell(code);
                return null;
            } catch (CellError e) {
                return e;
            }
        });
        Thread.sleep(500);
        cells.interrupt();
        return run.get(60, TimeUnit.SECONDS);
    }

    @Test
    void expressionsGiveTheirObjectAndStateIsKept() throws Exception {
        assertEquals(2, value("1 + 1"));
        assertFalse(cell("int kept = 41;").present());
        assertEquals(42, value("kept + 1"));
        // several snippets in one cell: the last one's value; IJava's default imports are there
        assertEquals(List.of(1, 2), value("var l = new ArrayList<Integer>();\nl.add(1); l.add(2);\nl"));
    }

    @Test
    void laterImportsAndRedefinedMethodsKeepEarlierVariables() throws Exception {
        cell("var list = new java.util.ArrayList<String>(List.of(\"kept\"));");
        cell("int twice(int x) { return 2 * x; }");
        cell("var four = twice(2);");
        // an on-demand import makes JShell recompile earlier snippets: their classes are redefined in place
        cell("import java.util.function.*;\nimport java.time.*;");
        assertEquals(List.of("kept"), value("list"));
        // a new body for a method: redefined in place too, the variable computed with the old one stays
        cell("int twice(int x) { return x + x + 0; }");
        assertEquals(4, value("four"));
        assertEquals(6, value("twice(3)"));
    }

    @Test
    void compileErrorsAndExceptionsComeBackAsLines() {
        CellError c = assertThrows(CellError.class, () -> value("int bad = \"s\";"));
        assertTrue(c.lines().stream().anyMatch(l -> l.startsWith("error: incompatible types")), c.lines().toString());
        CellError e = assertThrows(CellError.class, () -> value("throw new IllegalStateException(\"boom\")"));
        assertEquals("java.lang.IllegalStateException: boom", e.lines().get(0));
        assertFalse(e.interrupted());
        CellError i = assertThrows(CellError.class, () -> value("foo("));
        assertEquals("Incomplete input:", i.lines().get(0));
    }

    @Test
    void cellCodeSeesTheDisplayFunctionsButNotTheKernelsLibraries() throws Exception {
        assertEquals("org.m3sgg.kernel.runtime.Display",
                value("Class.forName(\"org.m3sgg.kernel.runtime.Display\", false, "
                        + "Thread.currentThread().getContextClassLoader()).getName()"));
        CellError e = assertThrows(CellError.class, () -> value("Class.forName(\"com.google.gson.Gson\")"));
        assertEquals("java.lang.ClassNotFoundException: com.google.gson.Gson", e.lines().get(0));
        // display and updateDisplay are imported (compiled, not called: no kernel runs in this test)
        assertEquals(Boolean.TRUE, value("((Runnable) () -> updateDisplay(display(\"x\"), \"y\")) != null"));
    }

    @Test
    void anInterruptStopsABusyLoopAndTheSessionGoesOn() throws Exception {
        cell("int before = 6;");
        CellError e = interrupted("long spins = 0; while (true) { spins++; }");
        assertTrue(e != null && e.interrupted(), String.valueOf(e));
        assertEquals(7, value("before + 1"));
    }

    @Test
    void anInterruptEndsASleepAtOnce() throws Exception {
        CellError e = interrupted("Thread.sleep(600_000);");
        assertTrue(e != null && e.interrupted(), String.valueOf(e));
        assertEquals(3, value("1 + 2"));
    }

    @Test
    void anInterruptBetweenCellsDoesNothing() throws Exception {
        cells.interrupt();
        assertEquals(5, value("2 + 3"));
    }

    @Test
    void isCompleteFollowsJShell() {
        assertEquals("complete", cells.isComplete("int x = 1;"));
        assertEquals("", cells.isComplete("for (int i = 0; i < 3; i++) {"));
    }
}
