/* gdlab page engine, linear algebra for small d: the Gram pass, an LU solve and a Jacobi
 * eigen-solver for symmetric d x d matrices (d is 2 to 20 on the lesson's problems).
 *
 * Matrices are Float64Array, row-major, d x d. Nothing here allocates per row of data.
 */
(function (root) {
  "use strict";

  const internal = root.gdlab._internal;
  const EPS = internal.EPS;

  /**
   * `G = X^T X` (d x d, both triangles filled), `b = X^T y` and `yy = y^T y`, in one pass
   * over the rows (each row is read once, for all three sums). `y` may be null.
   */
  function gram(X, y) {
    const d = X.cols, m = X.rows, A = X.data;
    const G = new Float64Array(d * d), b = new Float64Array(d);
    let yy = 0;
    for (let i = 0; i < m; i++) {
      const off = i * d;
      const yi = y ? y[i] : 0;
      for (let j = 0; j < d; j++) {
        const xij = A[off + j];
        const row = j * d;
        for (let k = j; k < d; k++) G[row + k] += xij * A[off + k];
        b[j] += xij * yi;
      }
      yy += yi * yi;
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) G[j * d + k] = G[k * d + j];
    }
    return { G: G, b: b, yy: yy };
  }

  /**
   * Solve `H w = c` by LU with partial pivoting (LAPACK's dgesv, which NumPy's solve uses).
   * Returns null when a pivot is exactly zero: the caller then takes the least-norm solution.
   */
  function luSolve(H, c, d) {
    const A = Float64Array.from(H), x = Float64Array.from(c);
    for (let k = 0; k < d; k++) {
      let p = k;
      for (let i = k + 1; i < d; i++) {
        if (Math.abs(A[i * d + k]) > Math.abs(A[p * d + k])) p = i;
      }
      if (A[p * d + k] === 0) return null;
      if (p !== k) {
        for (let j = 0; j < d; j++) {
          const t = A[k * d + j]; A[k * d + j] = A[p * d + j]; A[p * d + j] = t;
        }
        const t = x[k]; x[k] = x[p]; x[p] = t;
      }
      const pivot = A[k * d + k];
      for (let i = k + 1; i < d; i++) {
        const f = A[i * d + k] / pivot;
        if (f === 0) continue;
        for (let j = k + 1; j < d; j++) A[i * d + j] -= f * A[k * d + j];
        x[i] -= f * x[k];
      }
    }
    for (let k = d - 1; k >= 0; k--) {
      let s = x[k];
      for (let j = k + 1; j < d; j++) s -= A[k * d + j] * x[j];
      x[k] = s / A[k * d + k];
    }
    return x;
  }

  /** One Jacobi rotation zeroing A[p][q] (Numerical Recipes' form); V collects them. */
  function rotate(A, V, d, p, q) {
    const apq = A[p * d + q], app = A[p * d + p], aqq = A[q * d + q];
    const theta = (aqq - app) / (2 * apq);
    // For a huge theta, theta^2 would overflow: t = 1 / (2 theta) is then exact enough.
    const t = Math.abs(theta) > 1e150 ? 0.5 / theta
      : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    const c = 1 / Math.sqrt(t * t + 1), s = t * c;
    A[p * d + p] = app - t * apq;
    A[q * d + q] = aqq + t * apq;
    A[p * d + q] = A[q * d + p] = 0;
    for (let r = 0; r < d; r++) {
      if (r !== p && r !== q) {
        const arp = A[r * d + p], arq = A[r * d + q];
        A[r * d + p] = A[p * d + r] = c * arp - s * arq;
        A[r * d + q] = A[q * d + r] = s * arp + c * arq;
      }
      const vrp = V[r * d + p], vrq = V[r * d + q];
      V[r * d + p] = c * vrp - s * vrq;
      V[r * d + q] = s * vrp + c * vrq;
    }
  }

  /**
   * Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major d x d) of the
   * symmetric matrix S, by cyclic Jacobi rotations.
   *
   * An off-diagonal entry is dropped once it is below eps * sqrt(|a_pp a_qq|): for a
   * positive semi-definite matrix (every Hessian here) that keeps each eigenvalue accurate
   * relative to itself, so mu keeps its digits even when kappa is large.
   */
  function symmetricEigen(S, d) {
    const A = Float64Array.from(S), V = new Float64Array(d * d);
    for (let i = 0; i < d; i++) V[i * d + i] = 1;
    for (let sweep = 0; sweep < 100; sweep++) {
      let rotated = false;
      for (let p = 0; p < d - 1; p++) {
        for (let q = p + 1; q < d; q++) {
          const apq = A[p * d + q];
          if (apq === 0) continue;
          if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(A[p * d + p] * A[q * d + q]))) {
            A[p * d + q] = A[q * d + p] = 0;
            continue;
          }
          rotate(A, V, d, p, q);
          rotated = true;
        }
      }
      if (!rotated) break;
    }
    const index = [];
    for (let i = 0; i < d; i++) index.push(i);
    index.sort(function (a, b) { return A[a * d + a] - A[b * d + b]; });
    const values = new Float64Array(d), vectors = new Float64Array(d * d);
    for (let k = 0; k < d; k++) {
      const i = index[k];
      values[k] = A[i * d + i];
      for (let r = 0; r < d; r++) vectors[r * d + k] = V[r * d + i];
    }
    return { values: values, vectors: vectors };
  }

  /**
   * The least-norm solution of `H w = c` for a symmetric positive semi-definite H (NumPy's
   * lstsq with rcond=None): eigenvalues up to d * eps * lambda_max count as zero.
   */
  function pseudoSolve(H, c, d) {
    const eig = symmetricEigen(H, d);
    const cutoff = d * EPS * eig.values[d - 1];
    const w = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const lam = eig.values[k];
      if (!(lam > cutoff)) continue;
      let proj = 0;
      for (let r = 0; r < d; r++) proj += eig.vectors[r * d + k] * c[r];
      for (let r = 0; r < d; r++) w[r] += (proj / lam) * eig.vectors[r * d + k];
    }
    return w;
  }

  internal.gram = gram;
  internal.luSolve = luSolve;
  internal.symmetricEigen = symmetricEigen;
  internal.pseudoSolve = pseudoSolve;
})(typeof globalThis !== "undefined" ? globalThis : this);
