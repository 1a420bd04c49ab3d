//! Derived facts that depend on themselves, and rules that go before each other in a ring.

/// The strongly connected parts of a graph with more than one node, or a node with an edge
/// to itself: each is a cycle to report. Nodes are reported in ascending order.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: nodes are 0..edges.len(), and callers make every edge to a node of the graph"
)]
pub fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    // Tarjan's algorithm, iterative so no input can exhaust the stack.
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0usize;
    let mut found = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            let succ = edges[v].get(*child).copied();
            if let Some(w) = succ {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = edges[v].contains(&v);
                if component.len() > 1 || self_loop {
                    component.sort_unstable();
                    found.push(component);
                }
            }
        }
    }
    found.sort();
    found
}

/// Nodes in an order where every node comes after the nodes it has edges to (dependencies
/// first). Nodes on cycles are left out.
#[expect(
    clippy::indexing_slicing,
    reason = "INVARIANT: nodes are 0..edges.len(), and callers make every edge to a node of the graph"
)]
pub fn dependency_order(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut state = vec![0u8; n]; // 0 new, 1 in progress, 2 done, 3 on a cycle
    for cycle in cycles(edges) {
        for v in cycle {
            state[v] = 3;
        }
    }
    let mut order = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            match edges[v].get(*child).copied() {
                Some(w) => {
                    *child += 1;
                    if state[w] == 0 {
                        state[w] = 1;
                        work.push((w, 0));
                    }
                }
                None => {
                    work.pop();
                    state[v] = 2;
                    order.push(v);
                }
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rings_and_self_loops() {
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![]];
        assert_eq!(cycles(&edges), vec![vec![0, 1, 2], vec![3]]);
        assert_eq!(dependency_order(&edges), vec![4]);
        let edges = vec![vec![1, 2], vec![2], vec![]];
        assert_eq!(cycles(&edges), Vec::<Vec<usize>>::new());
        assert_eq!(dependency_order(&edges), vec![2, 1, 0]);
    }
}
