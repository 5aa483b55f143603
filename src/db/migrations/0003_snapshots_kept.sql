-- huizhan schema 3: frozen figures are kept for good (R-PROG-11). They could not be
-- changed; now they cannot be deleted either, so what a bulletin or an evaluated
-- checkpoint rested on is always there to show.
CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots
  BEGIN SELECT RAISE(ABORT, 'snapshots are frozen'); END;
