/** The shape of an AWS region name: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, eusc-de-east-1. */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
