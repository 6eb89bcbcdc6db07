import { css } from 'lit';

/** Hidden from sight but read by screen readers (labels of controls shown another way). */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** A short message saying what went wrong, under the control it concerns. */
export const errorBox = css`
  .error {
    border: 1px solid #d4a0a0;
    background: #fdf3f3;
    color: #6b1f1f;
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
    margin-top: 0.6rem;
  }
`;

/** The layout the long-job panels share (batch, dataset explanation, engine comparison). */
export const panelStyles = css`
  :host {
    display: block;
    font-size: 0.9rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    margin-top: 0.5rem;
  }
  .hint,
  .meta {
    color: #666;
    font-size: 0.8rem;
    margin: 0.3rem 0 0;
  }
  progress {
    width: 100%;
    height: 0.8rem;
  }
  button,
  select,
  input {
    font: inherit;
  }
  h3 {
    font-size: 0.95rem;
    margin: 1rem 0 0.4rem;
  }
`;
