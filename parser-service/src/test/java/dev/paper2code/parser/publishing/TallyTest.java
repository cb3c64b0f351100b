package dev.paper2code.parser.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void summaryListsEveryCountAndDeadLetterReasons() {
        Tally tally = new Tally();
        tally.entry(2, true);
        tally.createPair();
        tally.deadLetter("MISSING_REPOSITORY_NAME");
        tally.entry(0, false);
        tally.deadLetter("MALFORMED_JSON");
        tally.entry(1, false);
        tally.skipAlreadyPublished();

        assertEquals("""
                Loaded 3 entries with 3 repository links from sample.json
                  pairs created:      1
                  already published:  1 (skipped)
                  dead-lettered:      2 (MALFORMED_JSON=1, MISSING_REPOSITORY_NAME=1)
                  junk titles:        1 (left out of the paper text)""", tally.summary("sample.json"));
    }
}
