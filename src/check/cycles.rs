//! Derived facts that depend on themselves, and rules that go before each other in a ring.

/// The strongly connected parts of a graph with more than one node, or a node with an edge
/// to itself: each is a cycle to report. Nodes are reported in ascending order.
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
        if index.get(root) != Some(&usize::MAX) {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index.get(v) == Some(&usize::MAX) {
                set(&mut index, v, next);
                set(&mut low, v, next);
                next += 1;
                stack.push(v);
                set(&mut on_stack, v, true);
            }
            let succ = edges.get(v).and_then(|e| e.get(*child)).copied();
            if let Some(w) = succ {
                *child += 1;
                if get(&index, w) == usize::MAX {
                    work.push((w, 0));
                } else if get(&on_stack, w) {
                    let m = get(&low, v).min(get(&index, w));
                    set(&mut low, v, m);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let m = get(&low, parent).min(get(&low, v));
                set(&mut low, parent, m);
            }
            if get(&low, v) == get(&index, v) {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    set(&mut on_stack, w, false);
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                let self_loop = edges.get(v).is_some_and(|e| e.contains(&v));
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

fn get<T: Copy + Default>(v: &[T], i: usize) -> T {
    v.get(i).copied().unwrap_or_default()
}

fn set<T>(v: &mut [T], i: usize, value: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = value;
    }
}

/// Nodes in an order where every node comes after the nodes it has edges to (dependencies
/// first). Nodes on cycles are left out.
pub fn dependency_order(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut state = vec![0u8; n]; // 0 new, 1 in progress, 2 done, 3 on a cycle
    for cycle in cycles(edges) {
        for v in cycle {
            set(&mut state, v, 3);
        }
    }
    let mut order = Vec::new();
    for root in 0..n {
        if get(&state, root) != 0 {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        set(&mut state, root, 1);
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            match edges.get(v).and_then(|e| e.get(*child)).copied() {
                Some(w) => {
                    *child += 1;
                    if get(&state, w) == 0 {
                        set(&mut state, w, 1);
                        work.push((w, 0));
                    }
                }
                None => {
                    work.pop();
                    set(&mut state, v, 2);
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
