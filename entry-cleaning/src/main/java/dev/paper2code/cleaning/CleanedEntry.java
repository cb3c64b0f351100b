package dev.paper2code.cleaning;

import java.util.List;

/**
 * The outcomes of one seed entry.
 *
 * @param outcomes  one per repository link, or a single rejection of the whole entry
 * @param links     how many repository links the entry has (0 when it could not be read that far)
 * @param junkTitle whether its title was an arXiv query echo and was left out
 */
public record CleanedEntry(List<Outcome> outcomes, int links, boolean junkTitle) {
}
