package dev.paper2code.training.negatives;

import dev.paper2code.contracts.TokenizedPair;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One epoch's hard negatives: for each train paper, the repositories ranked highest for it that are
 * none of its own ({@link HardNegativeMiner}), and every repository's code token ids.
 *
 * <p>Invariant of {@link #extraCodeFor}: an extra negative is never a repository of any paper in the
 * batch (it would be a false negative for that paper) nor one of the batch's own repositories (already
 * a column), and appears once.
 */
public final class HardNegatives {
    private final Map<String, List<String>> negativesByPaper;
    private final Map<String, Set<String>> repositoriesByPaper;
    private final Map<String, int[]> codeByRepository;
    private final String rankedBy;

    HardNegatives(Map<String, List<String>> negativesByPaper, Map<String, Set<String>> repositoriesByPaper,
            Map<String, int[]> codeByRepository, String rankedBy) {
        this.negativesByPaper = negativesByPaper;
        this.repositoriesByPaper = repositoriesByPaper;
        this.codeByRepository = codeByRepository;
        this.rankedBy = rankedBy;
    }

    /** The code token ids to append to {@code batch}'s code rows: its papers' negatives, in batch order. */
    public List<int[]> extraCodeFor(List<TokenizedPair> batch) {
        Set<String> excluded = new java.util.HashSet<>();
        for (TokenizedPair pair : batch) {
            excluded.add(pair.repository());
            excluded.addAll(repositoriesByPaper.getOrDefault(pair.paperId(), Set.of()));
        }
        Set<String> extra = new LinkedHashSet<>();
        for (TokenizedPair pair : batch) {
            for (String repository : negativesByPaper.getOrDefault(pair.paperId(), List.of())) {
                if (!excluded.contains(repository)) {
                    extra.add(repository);
                }
            }
        }
        return extra.stream().map(codeByRepository::get).toList();
    }

    /** The negatives mined for {@code paperId}, best ranked first. */
    public List<String> of(String paperId) {
        return negativesByPaper.getOrDefault(paperId, List.of());
    }

    public int papers() {
        return negativesByPaper.size();
    }

    public int repositories() {
        return codeByRepository.size();
    }

    /** {@code the model} or {@code BM25 over token ids}. */
    public String rankedBy() {
        return rankedBy;
    }
}
