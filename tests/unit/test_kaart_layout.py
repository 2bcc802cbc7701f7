"""The map layout's loops (generator/render/kaart.py: force, spread) give bit for bit the floats of
their plain numpy formulation, which is kept here as the reference: the fast versions only save
numpy calls and temporary arrays, they never change a value or the order of the operations."""

from __future__ import annotations

import numpy as np
import pytest

from generator.render import kaart


def plain_force(pos, adjacency, target_x=None, gravity=0.05):
    n = len(pos)
    z = pos[:, 0] + 1j * pos[:, 1]
    k = np.sqrt(1.6 / n)
    iterations = kaart.FORCE_ITERATIONS
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    pull = adjacency / k
    for _ in range(iterations):
        delta = z[:, None] - z[None, :]
        distance = np.abs(delta)
        np.maximum(distance, 0.01, out=distance)
        force = k * k / (distance * distance) - pull * distance
        displacement = (delta * force).sum(axis=1)
        if target_x is not None:
            displacement += 0.3 * (target_x - z.real) / k
        displacement -= gravity * (z - z.sum() / n) / k
        length = np.abs(displacement)
        np.maximum(length, 0.01, out=length)
        z = z + displacement * (temperature / length)
        temperature -= cooling
    return np.column_stack([z.real, z.imag])


def plain_spread(pos, boxes=None, rounds=60):
    n = len(pos)
    if boxes is None:
        width, height = kaart.BOX
        limit = height
    else:
        width = (boxes[:, 0, None] + boxes[None, :, 0]) / 2
        height = (boxes[:, 1, None] + boxes[None, :, 1]) / 2
        limit = boxes[:, 1:2]
    tie = np.sign(np.subtract.outer(np.arange(n), np.arange(n))).astype(float)
    for _ in range(rounds):
        dx = pos[:, None, 0] - pos[None, :, 0]
        dy = pos[:, None, 1] - pos[None, :, 1]
        over_x = width - np.abs(dx)
        over_y = height - np.abs(dy)
        clash = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        sign_x = np.where(dx != 0, np.sign(dx), tie)
        sign_y = np.where(dy != 0, np.sign(dy), tie)
        along_x = clash & (over_x / width <= over_y / height)
        along_y = clash & ~along_x
        move = np.zeros_like(pos)
        move[:, 0] = (np.where(along_x, over_x * sign_x, 0.0) / 2 + 0.5 * along_x * sign_x).sum(axis=1)
        move[:, 1] = (np.where(along_y, over_y * sign_y, 0.0) / 2 + 0.5 * along_y * sign_y).sum(axis=1)
        pos = pos + np.clip(move, -limit, limit)
    return pos


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


def columns_start(rng, n: int, phases: int):
    """Start positions as kaart.layout makes them: columns per phase, evenly spread in each."""
    column = rng.integers(0, phases, n) / max(phases - 1, 1)
    pos = np.zeros((n, 2))
    for value in sorted(set(column)):
        members = np.flatnonzero(column == value)
        pos[members, 0] = value
        pos[members, 1] = (np.arange(len(members)) + 0.5) / len(members)
    pos[:, 0] *= 1.6
    return pos, column * 1.6


def random_adjacency(rng, n: int, edges: float, weighted: bool = False):
    upper = np.triu(rng.random((n, n)) < edges, 1) * (rng.random((n, n)) * 3 if weighted else 1.0)
    return upper + upper.T


@pytest.mark.parametrize("n, phases, seed", [(2, 1, 0), (3, 2, 1), (7, 1, 2), (12, 3, 3), (38, 5, 4), (39, 1, 5),
                                             (64, 4, 6), (210, 5, 7)])
def test_force_gives_the_floats_of_the_plain_formula(n, phases, seed):
    rng = np.random.default_rng(seed)
    pos, target_x = columns_start(rng, n, phases)  # one phase: every node in one column (equal x)
    adjacency = random_adjacency(rng, n, 3 / n)
    assert same_bits(kaart.force(pos.copy(), adjacency, target_x=target_x), plain_force(pos.copy(), adjacency, target_x))
    # as the national overview map calls it: no columns, weights, a stronger pull to the middle
    angle = 2 * np.pi * np.arange(n) / n
    circle = np.stack([0.8 + 0.5 * np.cos(angle), 0.5 + 0.3 * np.sin(angle)], axis=1)
    weighted = random_adjacency(rng, n, 3 / n, weighted=True)
    assert same_bits(kaart.force(circle.copy(), weighted, gravity=0.3), plain_force(circle.copy(), weighted, None, 0.3))


@pytest.mark.parametrize("n, seed", [(1, 0), (2, 1), (5, 2), (30, 3), (38, 4), (90, 5)])
def test_spread_gives_the_floats_of_the_plain_formula(n, seed):
    rng = np.random.default_rng(seed)
    crowded = rng.normal(0, 150, (n, 2))
    crowded[: n // 3] = np.round(crowded[: n // 3] / 100) * 100  # some equal x, y or positions: ties
    for pos in (crowded, crowded[:, ::-1].copy(), np.zeros((n, 2))):
        assert same_bits(kaart.spread(pos.copy()), plain_spread(pos.copy()))
        boxes = rng.uniform(20, 260, (n, 2))  # per node, as the national overview map has them
        assert same_bits(kaart.spread(pos.copy(), boxes, rounds=120), plain_spread(pos.copy(), boxes, 120))
