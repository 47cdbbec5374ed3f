/**
 * The federation as its users meet it: brokered sign-ins between the hub and
 * the spokes, the backends' authorization answers, and key release by KAS.
 * {@link dive.verify.sso.SsoChecks} holds the checks of the contract's 27 SSO
 * checks and the KAS outcomes; each returns {@link dive.verify.probe.Evidence}
 * that says what it saw, so a negative scenario can require that the check
 * itself judged a broken federation as failed, for the stated reason.
 */
package dive.verify.sso;
